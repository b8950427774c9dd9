package io.meshwork.netty;

import static io.meshwork.netty.testing.Instances.client;
import static io.meshwork.netty.testing.Instances.local;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import io.meshwork.TransportException;
import io.meshwork.netty.testing.RawHttpServer;
import io.meshwork.policy.Protocol;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.transport.ServerOptions;
import io.meshwork.transport.TransportClient;
import io.meshwork.transport.TransportServer;
import java.io.IOException;
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

/**
 * Servers that break HTTP, written with plain sockets: each bad answer fails its own call with a
 * clear error and closes that connection, while calls to a healthy server on the same client and
 * event loops go on unharmed.
 */
class MisbehavingServerTest {

  private static final long TIMEOUT = TimeUnit.SECONDS.toNanos(10);
  private static final int TWENTY_MIB = 20 * 1024 * 1024;

  private NettyTransport transport;
  private TransportClient client;
  private ServiceInstance healthy;

  @BeforeEach
  void start() {
    transport = NettyTransport.builder().eventLoopThreads(2).shutdownGrace(Duration.ofSeconds(1)).build();
    TransportServer server = transport.bind(ServerOptions.of("svc", "127.0.0.1", 0),
        request -> CompletableFuture.completedFuture(MeshResponse.ok("healthy " + request.path())));
    healthy = local("svc", server.port());
    client = transport.client(client("svc", Protocol.HTTP_1_1)); // default 10 MiB response limit
  }

  @AfterEach
  void stop() {
    client.close();
    transport.close();
  }

  @Test
  void garbageInsteadOfAResponse() throws Exception {
    TransportException failure = failureFrom(connection -> {
      connection.readRequest();
      connection.write("SPDY/9 what is this\r\n\u0001\u0002\u0003\r\n\r\n");
    });
    assertThat(failure).hasMessageContaining("malformed response from 127.0.0.1:");
    assertThat(failure.isRetryable()).isTrue();
  }

  @Test
  void headerThatIsNoHttpTokenIsMalformed() throws Exception {
    TransportException failure = failureFrom(connection -> {
      connection.readRequest();
      connection.write("HTTP/1.1 200 OK\r\nBad@Name: x\r\nContent-Length: 2\r\n\r\nok");
    });
    assertThat(failure).hasMessageContaining("malformed response from 127.0.0.1:")
        .hasMessageContaining("header name");
  }

  @Test
  void responseTruncatedBeforeItsContentLength() throws Exception {
    TransportException failure = failureFrom(connection -> {
      connection.readRequest();
      connection.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly part of it");
      connection.closeAndAwaitPeer(); // the server goes away mid-body
    });
    assertThat(failure).hasMessageContaining("closed before the response was complete");
  }

  @Test
  void chunkedResponseTruncatedMidChunk() throws Exception {
    TransportException failure = failureFrom(connection -> {
      connection.readRequest();
      connection.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nhalf a ch");
      connection.closeAndAwaitPeer();
    });
    assertThat(failure).hasMessageContaining("127.0.0.1:");
    assertThat(failure.isRetryable()).isTrue();
  }

  @Test
  void twentyMebibyteBodyWithContentLengthIsRefusedAtTheHead() throws Exception {
    TransportException failure = failureFrom(connection -> {
      connection.readRequest();
      connection.write("HTTP/1.1 200 OK\r\nContent-Length: " + TWENTY_MIB + "\r\n\r\n");
      connection.write(new byte[TWENTY_MIB]);
    });
    assertThat(failure).hasMessageContaining("response body of 20971520 bytes from 127.0.0.1:")
        .hasMessageContaining(" exceeds the limit of 10485760 bytes (ServicePolicy.maxResponseBytes)");
    assertThat(failure.isRetryable()).isFalse();
  }

  @Test
  void twentyMebibyteChunkedBodyIsCutAtTheLimit() throws Exception {
    TransportException failure = failureFrom(connection -> {
      connection.readRequest();
      connection.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
      byte[] chunk = new byte[1024 * 1024];
      for (int i = 0; i < 20; i++) {
        connection.write(Integer.toHexString(chunk.length) + "\r\n");
        connection.write(chunk);
        connection.write("\r\n");
      }
      connection.write("0\r\n\r\n");
    });
    assertThat(failure).hasMessageContaining(" grew past the limit of 10485760 bytes (ServicePolicy.maxResponseBytes)");
    assertThat(failure.isRetryable()).isFalse();
  }

  /**
   * Runs {@code script} as the server of one call while other calls go to the healthy server; checks
   * the bad connection was closed and returns the bad call's failure.
   */
  private TransportException failureFrom(RawHttpServer.Script script) throws Exception {
    CountDownLatch closed = new CountDownLatch(1);
    try (RawHttpServer bad = RawHttpServer.start(connection -> {
      try {
        script.serve(connection);
      } catch (IOException clientGone) {
        // the client may close while a big body is still being written
      }
      connection.awaitPeerClose();
      closed.countDown();
    })) {
      List<CompletableFuture<MeshResponse>> good = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        good.add(client.send(healthy, MeshRequest.get("/before-" + i), TIMEOUT));
      }
      CompletableFuture<MeshResponse> badCall = client.send(local("svc", bad.port()), MeshRequest.get("/"), TIMEOUT);
      for (int i = 0; i < 20; i++) {
        good.add(client.send(healthy, MeshRequest.get("/during-" + i), TIMEOUT));
      }
      Throwable failure;
      try {
        MeshResponse unexpected = badCall.get(10, TimeUnit.SECONDS);
        throw new AssertionError("expected a failure, got " + unexpected);
      } catch (ExecutionException e) {
        failure = e.getCause();
      }
      assertThat(closed.await(10, TimeUnit.SECONDS)).as("the bad connection was closed").isTrue();
      for (CompletableFuture<MeshResponse> call : good) {
        assertThat(call.get(10, TimeUnit.SECONDS).bodyAsString()).startsWith("healthy /");
      }
      assertThat(failure).isInstanceOf(TransportException.class);
      return (TransportException) failure;
    }
  }

}
