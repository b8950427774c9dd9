package io.meshwork.netty.internal.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.MeshRequest;
import io.meshwork.transport.TransportHeaders;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The bytes of a request head as the HTTP/1.1 client writes them. */
class Http1RequestEncoderTest {

  private final Http1RequestEncoder encoder = new Http1RequestEncoder();

  @Test
  void writesTheWholeRequestWithHostDeadlineAndLength() {
    MeshRequest request = MeshRequest.builder().method("POST").path("/items").header("x-test", "v")
        .body("hello").build();

    assertThat(encode(request, "127.0.0.1:8080", 15000)).isEqualTo("POST /items HTTP/1.1\r\n"
        + "x-test: v\r\n"
        + "host: 127.0.0.1:8080\r\n"
        + TransportHeaders.TIMEOUT_MS + ": 15000\r\n"
        + "content-length: 5\r\n"
        + "\r\n"
        + "hello");
  }

  @ParameterizedTest
  @ValueSource(longs = {0, 7, 10, 99, 100, 12345, 1_000_000_007L, Long.MAX_VALUE})
  void writesEveryDeadlineInDecimal(long millis) {
    String head = encode(MeshRequest.get("/"), "h:1", millis);

    assertThat(head).contains("\r\n" + TransportHeaders.TIMEOUT_MS + ": " + millis + "\r\n");
  }

  private String encode(MeshRequest request, String authority, long millis) {
    ByteBuf out = encoder.encode(UnpooledByteBufAllocator.DEFAULT, request, authority, millis);
    try {
      return out.toString(StandardCharsets.US_ASCII);
    } finally {
      out.release();
    }
  }
}
