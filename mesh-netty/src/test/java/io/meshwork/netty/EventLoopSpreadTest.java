package io.meshwork.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.Mesh;
import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import io.meshwork.registry.InMemoryServiceRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Which event loop a call runs on, over real sockets: the calls one application thread starts use
 * every loop of the client's transport, and a call started from a callback stays on its loop. A
 * call's completion runs on the loop that owns its connection, so the thread completing it names
 * the loop. The server holds its answers until the test has attached its callbacks, so none can
 * complete on the test's own thread.
 */
class EventLoopSpreadTest {

  private static final int LOOPS = 3;

  private final InMemoryServiceRegistry registry = new InMemoryServiceRegistry();
  private final CompletableFuture<MeshResponse> release = new CompletableFuture<>();
  private NettyTransport serverTransport;
  private NettyTransport clientTransport;
  private Mesh server;
  private Mesh client;

  @BeforeEach
  void start() {
    serverTransport = NettyTransport.builder().eventLoopThreads(1).shutdownGrace(Duration.ofSeconds(1)).build();
    clientTransport = NettyTransport.builder().eventLoopThreads(LOOPS).shutdownGrace(Duration.ofSeconds(1))
        .build();
    server = Mesh.builder().service("held").registry(registry).transport(serverTransport)
        .shutdownGrace(Duration.ofSeconds(1)).build();
    client = Mesh.builder().service("caller").registry(registry).transport(clientTransport)
        .shutdownGrace(Duration.ofSeconds(1)).build();
  }

  @AfterEach
  void stop() {
    release.complete(MeshResponse.ok("released"));
    client.close();
    server.close();
    clientTransport.close();
    serverTransport.close();
  }

  @Test
  void callsStartedFromOneThreadUseEveryLoop() throws Exception {
    int calls = 4 * LOOPS;
    CountDownLatch received = new CountDownLatch(calls);
    server.serve(0, request -> {
      received.countDown();
      return release;
    });
    List<CompletableFuture<String>> completedOn = new ArrayList<>();
    for (int i = 0; i < calls; i++) {
      completedOn.add(client.call("held", MeshRequest.get("/" + i))
          .thenApply(response -> Thread.currentThread().getName()));
    }
    assertThat(received.await(10, TimeUnit.SECONDS)).as("every call reached the server").isTrue();
    release.complete(MeshResponse.ok("released"));

    Set<String> loops = new HashSet<>();
    for (CompletableFuture<String> thread : completedOn) {
      loops.add(thread.get(10, TimeUnit.SECONDS));
    }
    assertThat(loops).as("the loops that completed %d calls started from one thread", calls).hasSize(LOOPS);
  }

  @Test
  void callStartedFromACallbackStaysOnItsLoop() throws Exception {
    int pairs = 2 * LOOPS;
    CountDownLatch firstsReceived = new CountDownLatch(pairs);
    AtomicInteger requests = new AtomicInteger();
    server.serve(0, request -> {
      if (requests.incrementAndGet() <= pairs) {
        firstsReceived.countDown();
        return release; // the first calls wait until their callbacks are attached
      }
      return CompletableFuture.completedFuture(MeshResponse.ok("second"));
    });
    List<CompletableFuture<String[]>> threads = new ArrayList<>();
    for (int i = 0; i < pairs; i++) {
      threads.add(client.call("held", MeshRequest.get("/first")).thenCompose(first -> {
        String firstThread = Thread.currentThread().getName();
        return client.call("held", MeshRequest.get("/second"))
            .thenApply(second -> new String[] {firstThread, Thread.currentThread().getName()});
      }));
    }
    assertThat(firstsReceived.await(10, TimeUnit.SECONDS)).isTrue();
    release.complete(MeshResponse.ok("released"));

    Set<String> firstLoops = new HashSet<>();
    for (CompletableFuture<String[]> pair : threads) {
      String[] names = pair.get(10, TimeUnit.SECONDS);
      firstLoops.add(names[0]);
      assertThat(names[1]).as("the loop of a call made in the callback of a call on " + names[0])
          .isEqualTo(names[0]);
    }
    assertThat(firstLoops).hasSize(LOOPS);
  }
}
