package io.meshwork.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.MeshResponse;
import io.meshwork.netty.internal.server.NettyServer;
import io.meshwork.netty.testing.Http2Frames;
import io.meshwork.netty.testing.Http2Frames.Frame;
import io.meshwork.netty.testing.RawClient;
import io.meshwork.netty.testing.RawClient.Response;
import io.meshwork.netty.testing.RawHttp2Connection;
import io.meshwork.policy.ServerLimits;
import io.meshwork.transport.ServerOptions;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Error;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Slowloris: clients that send a request a byte at a time, or not at all, are cut off by the head
 * timeout and the minimum body rate (here 300 ms and 1,000 bytes/s after 300 ms), while the idle
 * timeout (5 min) would have let them be. An idle keep-alive connection is left alone.
 */
class SlowClientTest {

  private final ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
  private NettyTransport transport;
  private NettyServer server;

  @BeforeEach
  void serve() {
    transport = NettyTransport.builder().eventLoopThreads(1).shutdownGrace(Duration.ofSeconds(1)).build();
    ServerLimits limits = ServerLimits.builder().requestHeadTimeout(Duration.ofMillis(300))
        .minBodyRate(1000, Duration.ofMillis(300)).build();
    server = (NettyServer) transport.bind(ServerOptions.of("svc", "127.0.0.1", 0, limits),
        request -> CompletableFuture.completedFuture(MeshResponse.ok("served " + request.bodyLength())));
  }

  @AfterEach
  void stop() {
    trickle.shutdownNow();
    transport.close();
  }

  @Test
  void aHeadTricklingInGets408AndTheConnectionClosed() throws Exception {
    try (RawClient client = new RawClient(server.port())) {
      client.send("GET / HTTP/1.1\r\nhost: svc\r\n");
      dripEvery100Ms(client, "x-drip: a\r\n".getBytes(StandardCharsets.US_ASCII));
      Response response = client.read();
      assertThat(response.status()).isEqualTo(408);
      assertThat(response.body()).contains("request head not received within 300ms");
      assertThat(client.closedByServer()).isTrue();
    }
  }

  @Test
  void aBodyTricklingInGets408AndTheConnectionClosed() throws Exception {
    try (RawClient client = new RawClient(server.port())) {
      client.send("POST / HTTP/1.1\r\nhost: svc\r\ncontent-length: 100000\r\n\r\n");
      dripEvery100Ms(client, new byte[10]); // 100 bytes/s
      Response response = client.read();
      assertThat(response.status()).isEqualTo(408);
      assertThat(response.body()).contains("request body arrives slower than 1000 bytes/s");
      assertThat(client.closedByServer()).isTrue();
    }
  }

  @Test
  void aConnectionThatSendsNothingIsClosed() throws Exception {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      socket.setSoTimeout(10_000);
      assertThat(socket.getInputStream().read()).as("closed by the server").isEqualTo(-1);
    }
  }

  @Test
  void anIdleKeepAliveConnectionOutlivesTheHeadTimeout() throws Exception {
    try (RawClient idle = new RawClient(server.port()); RawClient late = new RawClient(server.port())) {
      idle.send("GET /first HTTP/1.1\r\nhost: svc\r\n\r\n");
      assertThat(idle.read().body()).isEqualTo("served 0");
      late.send("GET /never-finished HTTP/1.1\r\n");
      assertThat(late.read().status()).as("a head timeout has passed").isEqualTo(408);

      idle.send("GET /second HTTP/1.1\r\nhost: svc\r\n\r\n");
      assertThat(idle.read().body()).isEqualTo("served 0");
    }
  }

  @Test
  void anHttp2HeaderBlockLeftUnfinishedEndsTheConnection() throws Exception {
    byte[] block = Http2Frames.headerBlock(new DefaultHttp2Headers().method("GET").path("/").scheme("http")
        .authority("svc"));
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(Http2Frames.preface());
      // A whole HEADERS frame, but its header block never gets its END_HEADERS.
      out.write(Http2Frames.frame(Http2Frames.HEADERS, Http2Frames.END_STREAM, 1, Arrays.copyOf(block, 4)));
      Frame goAway = awaitGoAway(socket.getInputStream());
      assertThat(Http2Error.valueOf(goAway.errorCode())).isEqualTo(Http2Error.ENHANCE_YOUR_CALM);
      assertThat(new String(goAway.payload(), 8, goAway.payload().length - 8, StandardCharsets.US_ASCII))
          .isEqualTo("frame not completed within 300ms");
    }
  }

  @Test
  void anHttp2BodyTricklingInGets408OnItsStream() throws Exception {
    try (RawHttp2Connection connection = RawHttp2Connection.open(server.port())) {
      connection.headers(1, new DefaultHttp2Headers().method("POST").path("/").scheme("http").authority("svc")
          .setInt("content-length", 100_000), false);
      connection.data(1, new byte[10], false);
      assertThat(connection.outcome(1)).isEqualTo(":status 408");
      assertThat(connection.body(1)).contains("request body arrives slower than 1000 bytes/s");
    }
  }

  /** Writes {@code bytes} every 100 ms, as a slowloris client does, until the connection breaks. */
  private void dripEvery100Ms(RawClient client, byte[] bytes) {
    trickle.scheduleAtFixedRate(() -> {
      try {
        client.send(bytes);
      } catch (IOException closed) {
        throw new IllegalStateException("closed by the server", closed); // ends the drip
      }
    }, 100, 100, TimeUnit.MILLISECONDS);
  }

  private static Frame awaitGoAway(InputStream in) throws IOException {
    while (true) {
      Frame frame = Http2Frames.read(in);
      if (frame.type() == Http2Frames.GOAWAY) {
        return frame;
      }
    }
  }
}
