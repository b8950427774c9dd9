package io.meshwork.netty.attacks;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.netty.testing.RawClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * HTTP/1.1 requests built to hurt a server, sent to {@code mesh.serve} while a well-behaved client
 * calls it: each is refused and its connection closed, and the other client sees no failure. (The
 * attacks InboundServerTest already covers without a bystander, conflicting framing and CR/LF/NUL
 * in values, are not repeated here.)
 */
class Http1AttacksTest {

  private ServeUnderAttack server;

  @BeforeEach
  void serve() {
    server = ServeUnderAttack.plaintext();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void tooManySmallHeadersGet431AndAClose() throws Exception {
    String headers = "x-h: v\r\n".repeat(5_000); // each small, together 5 times the limit
    var report = server.attack("HTTP/1.1 5,000 headers", 5, () -> refused("GET / HTTP/1.1\r\nhost: web\r\n"
        + headers + "\r\n", 431));
    assertThat(report.failures()).isEmpty();
  }

  @Test
  void controlCharactersAndSpacesInHeaderNamesGet400AndAClose() throws Exception {
    String[] names = {"x\u0000a: b", "x\ra: b", "x a: b", "x-a : b", " x-a: b", "x\u007fa: b", "x(a): b"};
    var report = server.attack("HTTP/1.1 NUL/CR/space/DEL in header names", 1, () -> {
      for (String header : names) {
        refused("GET / HTTP/1.1\r\nhost: web\r\n" + header + "\r\n\r\n", 400);
      }
    });
    assertThat(report.failures()).isEmpty();
  }

  @Test
  void obsoleteLineFoldingGets400AndAClose() throws Exception {
    var report = server.attack("HTTP/1.1 obs-fold", 5, () -> {
      refused("GET / HTTP/1.1\r\nhost: web\r\nx-a: b\r\n c\r\n\r\n", 400);
      refused("GET / HTTP/1.1\r\nhost: web\r\nx-a: b\r\n\tc\r\n\r\n", 400);
      // Folding that would hide a second Content-Length from one reader and not another.
      refused("POST / HTTP/1.1\r\nhost: web\r\ncontent-length: 3\r\n content-length: 40\r\n\r\nabc", 400);
      try (RawClient client = new RawClient(server.port())) {
        // The fold in a second read, after a whole request pipelined before it.
        client.send("GET /first HTTP/1.1\r\nhost: web\r\n\r\nGET /second HTTP/1.1\r\nhost: web\r\nx-a: b\r\n");
        assertThat(client.read().status()).isEqualTo(200);
        client.send(" c\r\n\r\n");
        assertThat(client.read().status()).isEqualTo(400);
        assertThat(client.closedByServer()).isTrue();
      }
    });
    assertThat(report.failures()).isEmpty();
  }

  @Test
  void doubleContentLengthWithTheSameValueIsStillRefused() throws Exception {
    var report = server.attack("HTTP/1.1 Content-Length twice, same value", 5, () -> refused(
        "POST / HTTP/1.1\r\nhost: web\r\ncontent-length: 3\r\ncontent-length: 3\r\n\r\nabc", 400));
    assertThat(report.failures()).isEmpty();
  }

  /** Sends {@code request} and checks that it is answered {@code status} and the connection closed. */
  private void refused(String request, int status) throws Exception {
    try (RawClient client = new RawClient(server.port())) {
      client.send(request);
      assertThat(client.read().status()).as(request.replace("\r\n", "\\r\\n")).isEqualTo(status);
      assertThat(client.closedByServer()).as("closed after " + request).isTrue();
    }
  }
}
