package io.meshwork.netty;

import static io.meshwork.netty.testing.Instances.client;
import static io.meshwork.netty.testing.Instances.local;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.ConnectFailedException;
import io.meshwork.MeshException;
import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import io.meshwork.TransportException;
import io.meshwork.netty.internal.server.NettyServer;
import io.meshwork.netty.testing.Ports;
import io.meshwork.policy.Protocol;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.transport.ClientOptions;
import io.meshwork.policy.ServerLimits;
import io.meshwork.transport.ServerOptions;
import io.meshwork.transport.TransportClient;
import io.meshwork.transport.TransportHeaders;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The h2c client (prior knowledge) and server of the transport against each other. */
class Http2TransportTest {

  private static final long TIMEOUT = TimeUnit.SECONDS.toNanos(5);

  private NettyTransport transport;

  @BeforeEach
  void start() {
    transport = NettyTransport.builder().eventLoopThreads(2).shutdownGrace(Duration.ofSeconds(1)).build();
  }

  @AfterEach
  void stop() {
    transport.close();
  }

  @Test
  void roundTripOverOneMultiplexedConnection() throws Exception {
    NettyServer server = echoServer(ServerOptions.of("echo", "127.0.0.1", 0));
    try (TransportClient client = transport.client(client("echo", Protocol.HTTP_2))) {
      ServiceInstance instance = local("echo", server.port());
      MeshRequest post = MeshRequest.builder().method("POST").path("/items?id=7").header("x-test", "v")
          .body("hello").build();
      MeshResponse response = client.send(instance, post, TIMEOUT).get(5, TimeUnit.SECONDS);

      assertThat(response.status()).isEqualTo(200);
      assertThat(response.bodyAsString()).isEqualTo("POST /items?id=7 x-test=v body=hello");
      assertThat(Long.parseLong(response.header("x-seen-timeout"))).isBetween(4000L, 5000L);
      assertThat(response.header("x-host")).isEqualTo("127.0.0.1:" + server.port());

      List<CompletableFuture<MeshResponse>> calls = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        calls.add(client.send(instance, MeshRequest.get("/" + i), TIMEOUT));
      }
      for (int i = 0; i < 200; i++) {
        assertThat(calls.get(i).get(10, TimeUnit.SECONDS).bodyAsString()).isEqualTo("GET /" + i + " body=");
      }
      assertThat(server.acceptedConnections()).isEqualTo(1);
    }
  }

  @Test
  void headOverHttp2HasNoBody() throws Exception {
    NettyServer server = echoServer(ServerOptions.of("echo", "127.0.0.1", 0));
    try (TransportClient client = transport.client(client("echo", Protocol.HTTP_2))) {
      MeshResponse head = client.send(local("echo", server.port()),
          MeshRequest.builder().method("HEAD").path("/h").build(), TIMEOUT).get(5, TimeUnit.SECONDS);

      assertThat(head.bodyLength()).isZero();
      assertThat(head.header("content-length")).isEqualTo(Integer.toString("HEAD /h body=".length()));
    }
  }

  @Test
  void serversConcurrentStreamLimitIsHonoured() throws Exception {
    BlockingQueue<CompletableFuture<MeshResponse>> held = new LinkedBlockingQueue<>();
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    ServerOptions twoStreams = ServerOptions.of("held", "127.0.0.1", 0, new ServerLimits(1 << 20, 64 * 1024, 2));
    NettyServer server = (NettyServer) transport.bind(twoStreams, request -> {
      most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      CompletableFuture<MeshResponse> answer = new CompletableFuture<>();
      held.add(answer);
      return answer.whenComplete((response, failure) -> inFlight.decrementAndGet());
    });
    try (TransportClient client = transport.client(client("held", Protocol.HTTP_2))) {
      ServiceInstance instance = local("held", server.port());
      List<CompletableFuture<MeshResponse>> calls = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        calls.add(client.send(instance, MeshRequest.get("/" + i), TIMEOUT));
      }
      // Two streams are let in; each answer lets the next one in.
      List<CompletableFuture<MeshResponse>> admitted = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        CompletableFuture<MeshResponse> next = held.poll(5, TimeUnit.SECONDS);
        assertThat(next).as("request %d reached the server; calls: %s", i, calls).isNotNull();
        admitted.add(next);
        if (admitted.size() >= 2) {
          admitted.get(admitted.size() - 2).complete(MeshResponse.ok("done"));
        }
      }
      admitted.get(5).complete(MeshResponse.ok("done"));
      for (CompletableFuture<MeshResponse> call : calls) {
        assertThat(call.get(5, TimeUnit.SECONDS).bodyAsString()).isEqualTo("done");
      }
      assertThat(most.get()).isEqualTo(2);
      assertThat(server.acceptedConnections()).isEqualTo(1);
    }
  }

  @Test
  void abandonedStreamIsResetAndItsSlotFreed() throws Exception {
    CompletableFuture<Void> hangArrived = new CompletableFuture<>();
    ServerOptions oneStream = ServerOptions.of("hang", "127.0.0.1", 0, new ServerLimits(1 << 20, 64 * 1024, 1));
    NettyServer server = (NettyServer) transport.bind(oneStream, request -> {
      if (request.path().equals("/hang")) {
        hangArrived.complete(null);
        return new CompletableFuture<>();
      }
      return CompletableFuture.completedFuture(MeshResponse.ok("fine"));
    });
    try (TransportClient client = transport.client(client("hang", Protocol.HTTP_2))) {
      ServiceInstance instance = local("hang", server.port());
      CompletableFuture<MeshResponse> hanging = client.send(instance, MeshRequest.get("/hang"), TIMEOUT);
      hangArrived.get(5, TimeUnit.SECONDS);

      hanging.cancel(false);

      // With one stream allowed, this only gets through if the cancelled stream was reset.
      assertThat(client.send(instance, MeshRequest.get("/next"), TIMEOUT).get(5, TimeUnit.SECONDS).bodyAsString())
          .isEqualTo("fine");
      assertThat(server.acceptedConnections()).isEqualTo(1);
    }
  }

  @Test
  void connectionIsReestablishedAfterTheServerRestarts() throws Exception {
    NettyServer first = echoServer(ServerOptions.of("echo", "127.0.0.1", 0));
    int port = first.port();
    try (TransportClient client = transport.client(client("echo", Protocol.HTTP_2))) {
      ServiceInstance instance = local("echo", port);
      assertThat(client.send(instance, MeshRequest.get("/a"), TIMEOUT).get(5, TimeUnit.SECONDS).status()).isEqualTo(200);

      first.close(Duration.ofSeconds(1));
      NettyServer second = echoServer(ServerOptions.of("echo", "127.0.0.1", port));

      // The first call may still meet the closing connection; it must then fail as never processed.
      MeshResponse response = null;
      for (int attempt = 0; attempt < 3 && response == null; attempt++) {
        try {
          response = client.send(instance, MeshRequest.get("/b"), TIMEOUT).get(5, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          assertThat(e.getCause()).isInstanceOf(MeshException.class);
          assertThat(((MeshException) e.getCause()).isRetryable()).isTrue();
        }
      }
      assertThat(response).isNotNull();
      assertThat(response.bodyAsString()).isEqualTo("GET /b body=");
      assertThat(second.acceptedConnections()).isEqualTo(1);
    }
  }

  @Test
  void serverDrainingSendsGoawayAndLetsTheStreamInFlightFinish() throws Exception {
    CompletableFuture<MeshResponse> held = new CompletableFuture<>();
    CompletableFuture<Void> arrived = new CompletableFuture<>();
    NettyServer server = (NettyServer) transport.bind(ServerOptions.of("held", "127.0.0.1", 0), request -> {
      arrived.complete(null);
      return held;
    });
    try (TransportClient client = transport.client(client("held", Protocol.HTTP_2))) {
      ServiceInstance instance = local("held", server.port());
      CompletableFuture<MeshResponse> inFlight = client.send(instance, MeshRequest.get("/slow"), TIMEOUT);
      arrived.get(5, TimeUnit.SECONDS);

      CompletableFuture<Void> closed = server.closeAsync(Duration.ofSeconds(10));
      held.complete(MeshResponse.ok("finished while draining"));

      assertThat(inFlight.get(5, TimeUnit.SECONDS).bodyAsString()).isEqualTo("finished while draining");
      closed.get(5, TimeUnit.SECONDS);
      try {
        client.send(instance, MeshRequest.get("/after"), TIMEOUT).get(5, TimeUnit.SECONDS);
        throw new AssertionError("expected the closed server to refuse");
      } catch (ExecutionException e) {
        assertThat(e.getCause()).isInstanceOf(ConnectFailedException.class);
      }
    }
  }

  @Test
  void responseOverTheLimitFailsThatStreamOnly() throws Exception {
    NettyServer server = (NettyServer) transport.bind(ServerOptions.of("big", "127.0.0.1", 0),
        request -> CompletableFuture.completedFuture(request.path().equals("/big")
            ? MeshResponse.builder().body(new byte[300_000]).build() : MeshResponse.ok("small")));
    ClientOptions limit = new ClientOptions("big", Protocol.HTTP_2, Duration.ofSeconds(1), 100_000);
    try (TransportClient client = transport.client(limit)) {
      ServiceInstance instance = local("big", server.port());
      try {
        client.send(instance, MeshRequest.get("/big"), TIMEOUT).get(5, TimeUnit.SECONDS);
        throw new AssertionError("expected the body limit to fail the call");
      } catch (ExecutionException e) {
        assertThat(e.getCause()).isInstanceOf(TransportException.class)
            .hasMessageContaining("exceeds the limit of 100000 bytes");
        assertThat(((TransportException) e.getCause()).isRetryable()).isFalse();
      }
      assertThat(client.send(instance, MeshRequest.get("/small"), TIMEOUT).get(5, TimeUnit.SECONDS).bodyAsString())
          .isEqualTo("small");
      assertThat(server.acceptedConnections()).isEqualTo(1);
    }
  }

  @Test
  void refusedConnectionFailsEveryWaitingCallAsConnectFailed() throws Exception {
    int port = Ports.free();
    try (TransportClient client = transport.client(client("nobody", Protocol.HTTP_2))) {
      List<CompletableFuture<MeshResponse>> calls = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        calls.add(client.send(local("nobody", port), MeshRequest.get("/"), TIMEOUT));
      }
      for (CompletableFuture<MeshResponse> call : calls) {
        try {
          call.get(5, TimeUnit.SECONDS);
          throw new AssertionError("expected a connect failure");
        } catch (ExecutionException e) {
          assertThat(e.getCause()).isInstanceOf(ConnectFailedException.class)
              .hasMessageContaining("127.0.0.1:" + port);
        }
      }
    }
  }

  private NettyServer echoServer(ServerOptions options) {
    return (NettyServer) transport.bind(options, request -> {
      String test = request.header("x-test");
      String text = request.method() + " " + request.path() + (test == null ? "" : " x-test=" + test)
          + " body=" + request.bodyAsString();
      return CompletableFuture.completedFuture(MeshResponse.builder().body(text)
          .header("x-seen-timeout", String.valueOf(request.header(TransportHeaders.TIMEOUT_MS)))
          .header("x-host", String.valueOf(request.header("host"))).build());
    });
  }
}
