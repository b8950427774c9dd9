package io.meshwork.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.Mesh;
import io.meshwork.MeshResponse;
import io.meshwork.MeshServer;
import io.meshwork.netty.testing.RawClient;
import io.meshwork.netty.testing.RawHttp2Connection;
import io.meshwork.registry.InMemoryServiceRegistry;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The attack of issue 9: request heads that declare large bodies and then send a few bytes. The server
 * must not reserve memory for what is declared, so its heap stays flat, and a well-behaved client is
 * served meanwhile.
 */
class BodyMemoryTest {

  private static final int TEN_MIB = 10 * 1024 * 1024;
  /** What the heap may grow by while the attack holds its streams open: far below what it declares. */
  private static final long FLAT = 48L * 1024 * 1024;

  private NettyTransport transport;
  private Mesh mesh;
  private MeshServer server;

  @BeforeEach
  void serve() {
    transport = NettyTransport.builder().eventLoopThreads(2).shutdownGrace(Duration.ofSeconds(1)).build();
    mesh = Mesh.builder().service("upload").registry(new InMemoryServiceRegistry()).transport(transport)
        .shutdownGrace(Duration.ofSeconds(1)).build();
    server = mesh.serve(0, request -> CompletableFuture.completedFuture(
        MeshResponse.ok("received " + request.bodyLength())));
  }

  @AfterEach
  void stop() {
    mesh.close();
    transport.close();
  }

  @Test
  void http2StreamsDeclaringTenMebibytesEachLeaveTheHeapFlat() throws Exception {
    long before = usedHeapAfterGc();
    try (RawHttp2Connection attack = RawHttp2Connection.open(server.port())) {
      for (int i = 0; i < 100; i++) {
        int stream = 1 + 2 * i;
        attack.headers(stream, post(TEN_MIB), false);
        attack.data(stream, new byte[79], false); // 7,900 bytes sent for 1,000 MiB declared
      }
      attack.ping(); // every frame before it has been read

      long grown = usedHeapAfterGc() - before;
      assertThat(grown).as("heap growth under the attack, MiB: %d", grown >> 20).isLessThan(FLAT);
      assertWellBehavedClientsAreServed();
    }
  }

  @Test
  void http1RequestsDeclaringTenMebibytesEachLeaveTheHeapFlat() throws Exception {
    long before = usedHeapAfterGc();
    List<RawClient> attack = new ArrayList<>();
    try {
      for (int i = 0; i < 50; i++) {
        RawClient client = new RawClient(server.port());
        attack.add(client);
        client.send("POST /upload HTTP/1.1\r\nhost: upload\r\ncontent-length: " + TEN_MIB
            + "\r\nexpect: 100-continue\r\n\r\n");
      }
      for (RawClient client : attack) {
        assertThat(client.read().status()).as("the head was read and admitted").isEqualTo(100);
        client.send(new byte[10]);
      }

      long grown = usedHeapAfterGc() - before;
      assertThat(grown).as("heap growth under the attack, MiB: %d", grown >> 20).isLessThan(FLAT);
      assertWellBehavedClientsAreServed();
    } finally {
      for (RawClient client : attack) {
        client.close();
      }
    }
  }

  private void assertWellBehavedClientsAreServed() throws Exception {
    byte[] body = new byte[200_000];
    try (RawClient client = new RawClient(server.port())) {
      client.send(("POST /upload HTTP/1.1\r\nhost: upload\r\ncontent-length: " + body.length + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      client.send(body);
      assertThat(client.read().body()).isEqualTo("received 200000");
    }
    try (RawHttp2Connection client = RawHttp2Connection.open(server.port())) {
      client.headers(1, post(body.length), false);
      client.data(1, body, true);
      assertThat(client.outcome(1)).isEqualTo(":status 200");
      assertThat(client.body(1)).isEqualTo("received 200000");
    }
  }

  private static Http2Headers post(int length) {
    return new DefaultHttp2Headers().method("POST").path("/upload").scheme("http").authority("upload")
        .setInt("content-length", length);
  }

  private static long usedHeapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
