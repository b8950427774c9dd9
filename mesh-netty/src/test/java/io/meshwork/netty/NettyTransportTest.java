package io.meshwork.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.Mesh;
import io.meshwork.MeshClosedException;
import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import io.meshwork.MeshServer;
import io.meshwork.netty.testing.Instances;
import io.meshwork.policy.Protocol;
import io.meshwork.time.Scheduler;
import io.meshwork.transport.ServerOptions;
import io.meshwork.transport.TransportClient;
import io.netty.channel.epoll.Epoll;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The public face of the transport: its builder, defaults, scheduler and life cycle. */
class NettyTransportTest {

  @Test
  void builderRejectsBadValuesNamingTheField() {
    assertThatThrownBy(() -> NettyTransport.builder().eventLoopThreads(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("eventLoopThreads: 0 (expected: 1..1024)");
    assertThatThrownBy(() -> NettyTransport.builder().maxConnectionsPerInstance(0))
        .hasMessage("maxConnectionsPerInstance: 0 (expected: 1..65536)");
    assertThatThrownBy(() -> NettyTransport.builder().maxPendingPerInstance(-1))
        .hasMessage("maxPendingPerInstance: -1 (expected: 0..1000000)");
    assertThatThrownBy(() -> NettyTransport.builder().idleTimeout(Duration.ZERO))
        .hasMessage("idleTimeout: PT0S (expected: > 0)");
    assertThatThrownBy(() -> NettyTransport.builder().shutdownGrace(Duration.ofSeconds(-1)))
        .hasMessage("shutdownGrace: PT-1S (expected: >= 0)");
    assertThatThrownBy(() -> NettyTransport.builder().timerTick(Duration.ofSeconds(2)))
        .hasMessageStartingWith("timerTick: PT2S");
    assertThatThrownBy(() -> NettyTransport.builder().maxResponseHeaderBytes(10))
        .hasMessage("maxResponseHeaderBytes: 10 (expected: 1024..16777216)");
  }

  @Test
  void usesNativeEpollWhenAvailableAndNioWhenAsked() {
    try (NettyTransport defaults = NettyTransport.builder().eventLoopThreads(1).build();
        NettyTransport nio = NettyTransport.builder().eventLoopThreads(1).nativeTransport(false).build()) {
      assertThat(defaults.isNative()).isEqualTo(Epoll.isAvailable());
      assertThat(nio.isNative()).isFalse();
    }
  }

  @Test
  void nioLoopsServeAndCallToo() throws Exception {
    try (NettyTransport nio = NettyTransport.builder().eventLoopThreads(1).nativeTransport(false).build()) {
      var server = nio.bind(ServerOptions.of("svc", "127.0.0.1", 0),
          request -> CompletableFuture.completedFuture(MeshResponse.ok("over nio")));
      for (Protocol protocol : Protocol.values()) {
        TransportClient client = nio.client(Instances.client("svc", protocol));
        assertThat(client.send(Instances.local("svc", server.port()), MeshRequest.get("/"),
            TimeUnit.SECONDS.toNanos(5)).get(5, TimeUnit.SECONDS).bodyAsString()).isEqualTo("over nio");
      }
    }
  }

  @Test
  void schedulerRunsTasksAndCancelsThem() throws Exception {
    try (NettyTransport transport = NettyTransport.builder().eventLoopThreads(1).build()) {
      Scheduler scheduler = transport.scheduler();
      CountDownLatch ran = new CountDownLatch(1);
      CountDownLatch cancelledRan = new CountDownLatch(1);
      Scheduler.Cancellable cancelled = scheduler.schedule(cancelledRan::countDown, 50, TimeUnit.MILLISECONDS);
      scheduler.schedule(ran::countDown, 100, TimeUnit.MILLISECONDS);

      assertThat(cancelled.cancel()).isTrue();
      assertThat(cancelled.cancel()).as("only the first cancel wins").isFalse();
      assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
      assertThat(cancelledRan.getCount()).isEqualTo(1);
    }
  }

  @Test
  void timersPendingAtCloseStillFireAfterwards() throws Exception {
    CountDownLatch fired = new CountDownLatch(2);
    Scheduler scheduler;
    try (NettyTransport transport = NettyTransport.builder().eventLoopThreads(1).build()) {
      scheduler = transport.scheduler();
      scheduler.schedule(fired::countDown, 200, TimeUnit.MILLISECONDS);
    }
    scheduler.schedule(fired::countDown, 10, TimeUnit.MILLISECONDS); // after close, too
    assertThat(fired.await(5, TimeUnit.SECONDS)).as("no call waits forever on a closed transport").isTrue();
  }

  @Test
  void closedTransportRefusesNewWorkAndStopsItsThreads() {
    Set<Thread> before = meshworkThreads();
    NettyTransport transport = NettyTransport.builder().eventLoopThreads(2).build();
    transport.bind(ServerOptions.of("svc", "127.0.0.1", 0),
        request -> CompletableFuture.completedFuture(MeshResponse.ok("x")));
    transport.scheduler().schedule(() -> { }, 1, TimeUnit.MILLISECONDS);
    Set<Thread> started = meshworkThreads();
    started.removeAll(before);

    transport.close();
    transport.close(); // idempotent

    assertThatThrownBy(() -> transport.client(Instances.client("svc", Protocol.HTTP_1_1)))
        .isInstanceOf(MeshClosedException.class);
    assertThatThrownBy(() -> transport.bind(ServerOptions.of("svc", "127.0.0.1", 0),
        request -> CompletableFuture.completedFuture(MeshResponse.ok("x"))))
        .isInstanceOf(MeshClosedException.class);
    assertThat(started).isNotEmpty().allSatisfy(thread -> {
      thread.join(5000);
      assertThat(thread.isAlive()).as("%s stopped", thread.getName()).isFalse();
    });
  }

  @Test
  void closeLetsAnExchangeInFlightFinishWithinTheGrace() throws Exception {
    CompletableFuture<MeshResponse> held = new CompletableFuture<>();
    CompletableFuture<Void> arrived = new CompletableFuture<>();
    try (NettyTransport servers = NettyTransport.builder().eventLoopThreads(1).build()) {
      var server = servers.bind(ServerOptions.of("svc", "127.0.0.1", 0), request -> {
        arrived.complete(null);
        return held;
      });
      NettyTransport clients = NettyTransport.builder().eventLoopThreads(1).shutdownGrace(Duration.ofSeconds(10))
          .build();
      CompletableFuture<MeshResponse> call = clients.client(Instances.client("svc", Protocol.HTTP_1_1))
          .send(Instances.local("svc", server.port()), MeshRequest.get("/"), TimeUnit.SECONDS.toNanos(10));
      arrived.get(5, TimeUnit.SECONDS);
      Thread closer = new Thread(clients::close, "closer");
      closer.start();
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (closer.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < end) {
        Thread.onSpinWait(); // until close() waits for the exchange
      }
      assertThat(call).isNotDone();

      held.complete(MeshResponse.ok("finished during close"));

      assertThat(call.get(5, TimeUnit.SECONDS).bodyAsString()).isEqualTo("finished during close");
      closer.join(10_000);
      assertThat(closer.isAlive()).isFalse();
    }
  }

  @Test
  void meshBuiltWithoutATransportFindsThisOne() throws Exception {
    Set<Thread> before = meshworkThreads();
    Set<Thread> started;
    try (Mesh mesh = Mesh.builder().service("found").build()) {
      MeshServer server = mesh.serve(0, request -> CompletableFuture.completedFuture(MeshResponse.ok("via netty")));
      assertThat(server.port()).isPositive();
      assertThat(mesh.call("found", MeshRequest.get("/")).get(5, TimeUnit.SECONDS).bodyAsString())
          .isEqualTo("via netty");
      started = meshworkThreads();
      started.removeAll(before);
      assertThat(started).extracting(Thread::getName).anyMatch(name -> name.startsWith("meshwork-netty"));
    }
    for (Thread thread : started) {
      thread.join(5000);
      assertThat(thread.isAlive()).as("%s stopped with the mesh that owns it", thread.getName()).isFalse();
    }
  }

  private static Set<Thread> meshworkThreads() {
    Set<Thread> threads = new HashSet<>();
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.getName().startsWith("meshwork-netty") || thread.getName().startsWith("meshwork-timer")) {
        threads.add(thread);
      }
    }
    return threads;
  }
}
