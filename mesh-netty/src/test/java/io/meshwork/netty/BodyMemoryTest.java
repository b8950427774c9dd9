package io.meshwork.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.Mesh;
import io.meshwork.MeshResponse;
import io.meshwork.MeshServer;
import io.meshwork.netty.testing.RawClient;
import io.meshwork.netty.testing.RawHttp2Connection;
import io.meshwork.policy.ServerLimits;
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
 * served meanwhile. Bodies that really arrive are held within the connection's and the server's
 * budgets: past them a request is refused in a way the client may retry, and served once they free.
 */
class BodyMemoryTest {

  private static final int TEN_MIB = 10 * 1024 * 1024;
  /** What the heap may grow by while the attack holds its streams open: far below what it declares. */
  private static final long FLAT = 48L * 1024 * 1024;

  private NettyTransport transport;
  private Mesh mesh;
  private MeshServer server;
  private final List<Mesh> meshes = new ArrayList<>();

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
    meshes.forEach(Mesh::close);
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

  @Test
  void streamsPastAConnectionsBodyBudgetAreRefusedAndMayBeSentAgainOnceItFrees() throws Exception {
    MeshServer small = serve(ServerLimits.builder().maxRequestBytes(300_000).maxBodyBytesPerConnection(400_000)
        .maxBodyBytesInFlight(1_000_000).build());
    try (RawHttp2Connection client = RawHttp2Connection.open(small.port())) {
      client.headers(1, post(300_000), false);
      client.data(1, new byte[300_000], false);
      client.headers(3, post(200_000), false);
      client.data(3, new byte[200_000], true);
      assertThat(client.outcome(3)).as("nothing was processed: send it again").isEqualTo("RST_STREAM REFUSED_STREAM");

      client.data(1, new byte[0], true);
      assertThat(client.outcome(1)).isEqualTo(":status 200");
      client.headers(5, post(200_000), false);
      client.data(5, new byte[200_000], true);
      assertThat(client.outcome(5)).isEqualTo(":status 200");
      assertThat(client.body(5)).isEqualTo("received 200000");
    }
  }

  @Test
  void requestsPastTheServersBodyBudgetGet503OrRefusedStream() throws Exception {
    MeshServer small = serve(ServerLimits.builder().maxRequestBytes(300_000).maxBodyBytesPerConnection(300_000)
        .maxBodyBytesInFlight(400_000).build());
    try (RawHttp2Connection holder = RawHttp2Connection.open(small.port());
         RawHttp2Connection other = RawHttp2Connection.open(small.port());
         RawClient http1 = new RawClient(small.port())) {
      holder.headers(1, post(300_000), false);
      holder.data(1, new byte[300_000], false);
      holder.ping();

      other.headers(1, post(200_000), false);
      other.data(1, new byte[200_000], true);
      assertThat(other.outcome(1)).isEqualTo("RST_STREAM REFUSED_STREAM");
      http1.send("POST /upload HTTP/1.1\r\nhost: upload\r\ncontent-length: 200000\r\n\r\n");
      http1.send(new byte[200_000]);
      RawClient.Response busy = http1.read();
      assertThat(busy.status()).isEqualTo(503);
      assertThat(busy.headers()).containsEntry("retry-after", "1");

      holder.data(1, new byte[0], true);
      assertThat(holder.outcome(1)).isEqualTo(":status 200");
      other.headers(3, post(200_000), false);
      other.data(3, new byte[200_000], true);
      assertThat(other.outcome(3)).as("served once the budget is back").isEqualTo(":status 200");
    }
  }

  private MeshServer serve(ServerLimits limits) {
    Mesh limited = Mesh.builder().service("limited").registry(new InMemoryServiceRegistry()).transport(transport)
        .serverLimits(limits).shutdownGrace(Duration.ofSeconds(1)).build();
    meshes.add(limited);
    return limited.serve(0, request -> CompletableFuture.completedFuture(
        MeshResponse.ok("received " + request.bodyLength())));
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
