package io.meshwork.netty;

import static io.meshwork.netty.testing.Instances.client;
import static io.meshwork.netty.testing.Instances.local;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.ConcurrencyLimitException;
import io.meshwork.ConnectFailedException;
import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import io.meshwork.TransportException;
import io.meshwork.netty.internal.server.NettyServer;
import io.meshwork.netty.testing.Ports;
import io.meshwork.netty.testing.RawConnection.RawRequest;
import io.meshwork.netty.testing.RawHttpServer;
import io.meshwork.policy.Protocol;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.transport.ClientOptions;
import io.meshwork.transport.ServerOptions;
import io.meshwork.transport.TransportClient;
import io.meshwork.transport.TransportHeaders;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP/1.1 client and server of the transport against each other and against raw sockets. */
class Http1TransportTest {

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
  void roundTripCarriesMethodPathHeadersBodyAndDeadline() throws Exception {
    NettyServer server = echoServer();
    try (TransportClient client = transport.client(client("echo", Protocol.HTTP_1_1))) {
      MeshRequest request = MeshRequest.builder().method("POST").path("/items?id=7")
          .header("x-test", "value").body("hello").build();
      MeshResponse response = client.send(local("echo", server.port()), request, TIMEOUT).get(5, TimeUnit.SECONDS);

      assertThat(response.status()).isEqualTo(200);
      assertThat(response.bodyAsString()).isEqualTo("POST /items?id=7 x-test=value body=hello");
      assertThat(Long.parseLong(response.header("x-seen-timeout"))).isBetween(4000L, 5000L);
      assertThat(response.header("x-host")).isEqualTo("127.0.0.1:" + server.port());
    }
  }

  @Test
  void sequentialCallsReuseOneConnection() throws Exception {
    NettyServer server = echoServer();
    try (TransportClient client = transport.client(client("echo", Protocol.HTTP_1_1))) {
      ServiceInstance instance = local("echo", server.port());
      for (int i = 0; i < 20; i++) {
        assertThat(client.send(instance, MeshRequest.get("/" + i), TIMEOUT).get(5, TimeUnit.SECONDS).status())
            .isEqualTo(200);
      }
      assertThat(server.acceptedConnections()).isEqualTo(1);
    }
  }

  @Test
  void headResponseHasNoBodyButKeepsItsLength() throws Exception {
    NettyServer server = echoServer();
    try (TransportClient client = transport.client(client("echo", Protocol.HTTP_1_1))) {
      ServiceInstance instance = local("echo", server.port());
      MeshResponse head = client.send(instance, MeshRequest.builder().method("HEAD").path("/x").build(), TIMEOUT)
          .get(5, TimeUnit.SECONDS);
      MeshResponse after = client.send(instance, MeshRequest.get("/after"), TIMEOUT).get(5, TimeUnit.SECONDS);

      assertThat(head.bodyLength()).isZero();
      assertThat(head.header("content-length")).isEqualTo(Integer.toString("HEAD /x body=".length()));
      assertThat(after.bodyAsString()).isEqualTo("GET /after body="); // the connection was not confused
      assertThat(server.acceptedConnections()).isEqualTo(1);
    }
  }

  @Test
  void connectionClosedByTheServerIsNoticedAndReplaced() throws Exception {
    CountDownLatch clientClosed = new CountDownLatch(1);
    try (RawHttpServer server = RawHttpServer.start(connection -> {
          RawRequest request = connection.readRequest();
          connection.ok("first on this connection: " + request.target());
          // A keep-alive answer, then the server goes away anyway: the idle connection is dead.
          if (connection.closeAndAwaitPeer()) {
            clientClosed.countDown();
          }
        });
        TransportClient client = transport.client(client("raw", Protocol.HTTP_1_1))) {
      ServiceInstance instance = local("raw", server.port());
      assertThat(client.send(instance, MeshRequest.get("/a"), TIMEOUT).get(5, TimeUnit.SECONDS).bodyAsString())
          .isEqualTo("first on this connection: /a");
      assertThat(clientClosed.await(5, TimeUnit.SECONDS)).as("client closed the dead connection").isTrue();

      assertThat(client.send(instance, MeshRequest.get("/b"), TIMEOUT).get(5, TimeUnit.SECONDS).bodyAsString())
          .isEqualTo("first on this connection: /b");
      assertThat(server.connections()).isEqualTo(2);
    }
  }

  @Test
  void abandonedCallClosesItsConnectionAndFreesItsSlot() throws Exception {
    CountDownLatch requestArrived = new CountDownLatch(1);
    CountDownLatch connectionClosed = new CountDownLatch(1);
    try (NettyTransport oneConnection = NettyTransport.builder().eventLoopThreads(1)
            .maxConnectionsPerInstance(1).maxPendingPerInstance(1).build();
        RawHttpServer server = RawHttpServer.start(connection -> {
          if (connection.readRequest().target().equals("/hang")) {
            requestArrived.countDown();
            connection.awaitPeerClose();
            connectionClosed.countDown();
            return;
          }
          connection.ok("fine");
        })) {
      TransportClient client = oneConnection.client(client("raw", Protocol.HTTP_1_1));
      ServiceInstance instance = local("raw", server.port());
      CompletableFuture<MeshResponse> hanging = client.send(instance, MeshRequest.get("/hang"), TIMEOUT);
      assertThat(requestArrived.await(5, TimeUnit.SECONDS)).isTrue();

      hanging.completeExceptionally(new IllegalStateException("per-try timeout"));

      assertThat(connectionClosed.await(5, TimeUnit.SECONDS)).as("aborted connection closed").isTrue();
      // The only connection slot is free again: the next call gets a fresh connection.
      assertThat(client.send(instance, MeshRequest.get("/next"), TIMEOUT).get(5, TimeUnit.SECONDS).bodyAsString())
          .isEqualTo("fine");
      assertThat(server.connections()).isEqualTo(2);
    }
  }

  @Test
  void cancelledCallWhileWaitingForAConnectionLeavesTheQueue() throws Exception {
    CountDownLatch firstArrived = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (NettyTransport oneConnection = NettyTransport.builder().eventLoopThreads(1)
            .maxConnectionsPerInstance(1).maxPendingPerInstance(1).build();
        RawHttpServer server = RawHttpServer.start(connection -> {
          RawRequest request;
          while ((request = connection.readRequest()) != null) {
            if (request.target().equals("/slow")) {
              firstArrived.countDown();
              release.await(5, TimeUnit.SECONDS);
            }
            connection.ok(request.target());
          }
        })) {
      TransportClient client = oneConnection.client(client("raw", Protocol.HTTP_1_1));
      ServiceInstance instance = local("raw", server.port());
      CompletableFuture<MeshResponse> slow = client.send(instance, MeshRequest.get("/slow"), TIMEOUT);
      assertThat(firstArrived.await(5, TimeUnit.SECONDS)).isTrue();
      CompletableFuture<MeshResponse> queued = client.send(instance, MeshRequest.get("/queued"), TIMEOUT);
      assertThatThrownBy(() -> client.send(instance, MeshRequest.get("/over"), TIMEOUT).get(5, TimeUnit.SECONDS))
          .hasCauseInstanceOf(ConcurrencyLimitException.class)
          .hasMessageContaining("limit reached");

      queued.cancel(false);
      CompletableFuture<MeshResponse> third = client.send(instance, MeshRequest.get("/third"), TIMEOUT);
      release.countDown();

      assertThat(slow.get(5, TimeUnit.SECONDS).bodyAsString()).isEqualTo("/slow");
      assertThat(third.get(5, TimeUnit.SECONDS).bodyAsString()).isEqualTo("/third");
      assertThat(server.connections()).isEqualTo(1);
    }
  }

  @Test
  void responseBodyOverTheLimitFailsWithoutRetryAndNamesTheLimit() throws Exception {
    NettyServer server = (NettyServer) transport.bind(ServerOptions.of("big", "127.0.0.1", 0),
        request -> CompletableFuture.completedFuture(MeshResponse.builder().body(new byte[2 * 1024 * 1024]).build()));
    ClientOptions small = new ClientOptions("big", Protocol.HTTP_1_1, Duration.ofSeconds(1), 1024 * 1024);
    try (TransportClient client = transport.client(small)) {
      ServiceInstance instance = local("big", server.port());

      ExecutionException failure = catchFailure(client.send(instance, MeshRequest.get("/"), TIMEOUT));

      assertThat(failure.getCause()).isInstanceOf(TransportException.class)
          .hasMessageContaining("exceeds the limit of 1048576 bytes");
      assertThat(((TransportException) failure.getCause()).isRetryable()).isFalse();
    }
  }

  @Test
  void refusedConnectionIsConnectFailedNamingTheAddress() throws Exception {
    int port = Ports.free();
    try (TransportClient client = transport.client(client("nobody", Protocol.HTTP_1_1))) {
      ExecutionException failure = catchFailure(client.send(local("nobody", port), MeshRequest.get("/"), TIMEOUT));

      assertThat(failure.getCause()).isInstanceOf(ConnectFailedException.class)
          .hasMessageContaining("127.0.0.1:" + port).hasMessageContaining("refused");
      assertThat(((ConnectFailedException) failure.getCause()).mayHaveBeenProcessed()).isFalse();
    }
  }

  @Test
  void concurrentCallersAllGetTheirOwnAnswers() throws Exception {
    NettyServer server = echoServer();
    try (TransportClient client = transport.client(client("echo", Protocol.HTTP_1_1))) {
      ServiceInstance instance = local("echo", server.port());
      List<CompletableFuture<Void>> callers = new ArrayList<>();
      for (int t = 0; t < 6; t++) {
        int thread = t;
        callers.add(CompletableFuture.runAsync(() -> {
          for (int i = 0; i < 300; i++) {
            String body = "t" + thread + "-" + i;
            MeshResponse response = client.send(instance, MeshRequest.post("/c", body), TIMEOUT).join();
            assertThat(response.bodyAsString()).isEqualTo("POST /c body=" + body);
          }
        }, runnable -> new Thread(runnable, "caller-" + thread).start()));
      }
      CompletableFuture.allOf(callers.toArray(new CompletableFuture<?>[0])).get(60, TimeUnit.SECONDS);
      assertThat(server.acceptedConnections()).isBetween(1L, 64L);
    }
  }

  @Test
  void idleConnectionIsClosedAfterTheIdleTimeout() throws Exception {
    CountDownLatch closedByClient = new CountDownLatch(1);
    try (NettyTransport shortIdle = NettyTransport.builder().eventLoopThreads(1)
            .idleTimeout(Duration.ofMillis(100)).build();
        RawHttpServer server = RawHttpServer.start(connection -> {
          connection.ok("once " + connection.readRequest().target());
          connection.awaitPeerClose();
          closedByClient.countDown();
        })) {
      TransportClient client = shortIdle.client(client("raw", Protocol.HTTP_1_1));
      assertThat(client.send(local("raw", server.port()), MeshRequest.get("/a"), TIMEOUT).get(5, TimeUnit.SECONDS)
          .bodyAsString()).isEqualTo("once /a");
      assertThat(closedByClient.await(5, TimeUnit.SECONDS)).as("idle connection closed by the client").isTrue();
    }
  }

  @Test
  void instancesThatLeftHaveTheirConnectionsClosed() throws Exception {
    CountDownLatch closedByClient = new CountDownLatch(1);
    try (RawHttpServer server = RawHttpServer.start(connection -> {
          connection.ok("once " + connection.readRequest().target());
          connection.awaitPeerClose();
          closedByClient.countDown();
        });
        TransportClient client = transport.client(client("raw", Protocol.HTTP_1_1))) {
      ServiceInstance instance = local("raw", server.port());
      assertThat(client.send(instance, MeshRequest.get("/a"), TIMEOUT).get(5, TimeUnit.SECONDS).status())
          .isEqualTo(200);

      client.retain(List.of(local("raw", Ports.free())));

      assertThat(closedByClient.await(5, TimeUnit.SECONDS)).as("pool of the departed instance closed").isTrue();
    }
  }

  @Test
  void connectTimeoutIsConnectFailedNamingTheLimit() throws Exception {
    // A listener that never accepts, its backlog full: further handshakes get no answer.
    try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      List<Socket> fillers = new ArrayList<>();
      try {
        for (int i = 0; i < 4; i++) {
          Socket filler = new Socket();
          fillers.add(filler);
          try {
            filler.connect(full.getLocalSocketAddress(), 200);
          } catch (IOException queueFull) {
            break;
          }
        }
        ClientOptions quick = new ClientOptions("stuck", Protocol.HTTP_1_1, Duration.ofMillis(200), 1 << 20);
        try (TransportClient client = transport.client(quick)) {
          ExecutionException failure = catchFailure(
              client.send(local("stuck", full.getLocalPort()), MeshRequest.get("/"), TIMEOUT));
          assertThat(failure.getCause()).isInstanceOf(ConnectFailedException.class)
              .hasMessageContaining("127.0.0.1:" + full.getLocalPort())
              .hasMessageContaining("connect timed out after 200 ms");
        }
      } finally {
        for (Socket filler : fillers) {
          filler.close();
        }
      }
    }
  }

  private NettyServer echoServer() {
    return (NettyServer) transport.bind(ServerOptions.of("echo", "127.0.0.1", 0), request -> {
      String test = request.header("x-test");
      String text = request.method() + " " + request.path() + (test == null ? "" : " x-test=" + test)
          + " body=" + request.bodyAsString();
      return CompletableFuture.completedFuture(MeshResponse.builder().body(text)
          .header("x-seen-timeout", String.valueOf(request.header(TransportHeaders.TIMEOUT_MS)))
          .header("x-host", String.valueOf(request.header("host"))).build());
    });
  }

  private static ExecutionException catchFailure(CompletableFuture<MeshResponse> call) throws Exception {
    try {
      MeshResponse unexpected = call.get(5, TimeUnit.SECONDS);
      throw new AssertionError("expected a failure, got " + unexpected);
    } catch (ExecutionException expected) {
      return expected;
    }
  }
}
