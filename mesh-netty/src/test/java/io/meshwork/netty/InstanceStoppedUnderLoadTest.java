package io.meshwork.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.Mesh;
import io.meshwork.MeshException;
import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import io.meshwork.policy.Protocol;
import io.meshwork.policy.ServicePolicy;
import io.meshwork.registry.InMemoryServiceRegistry;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.transport.ServerOptions;
import io.meshwork.transport.TransportServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * One of three instances crashes (its server closes with no grace and it stays registered) while
 * several threads keep calling: no call hangs, every GET succeeds through retries, and every POST
 * either succeeds or fails with a MeshException within its deadline.
 */
class InstanceStoppedUnderLoadTest {

  private static final int THREADS = 4;
  private static final int CALLS_PER_THREAD = 750;
  private static final int CRASH_AFTER = 1000;
  private static final Duration DEADLINE = Duration.ofSeconds(3);

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void callsSurviveAnInstanceStoppedMidLoad(Protocol protocol) throws Exception {
    InMemoryServiceRegistry registry = new InMemoryServiceRegistry();
    List<NettyTransport> serverTransports = new ArrayList<>();
    List<TransportServer> servers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      NettyTransport transport = NettyTransport.builder().eventLoopThreads(1).shutdownGrace(Duration.ZERO).build();
      serverTransports.add(transport);
      TransportServer server = transport.bind(ServerOptions.of("users", "127.0.0.1", 0),
          request -> CompletableFuture.completedFuture(MeshResponse.ok(request.method() + " ok")));
      servers.add(server);
      registry.register(ServiceInstance.builder("users", "users-" + i).host("127.0.0.1").port(server.port())
          .build()).join();
    }
    try (NettyTransport clientTransport = NettyTransport.builder().eventLoopThreads(2).build();
        Mesh orders = Mesh.builder().service("orders").registry(registry).transport(clientTransport)
            .policy("users", ServicePolicy.builder().protocol(protocol).timeout(DEADLINE).build()).build()) {
      AtomicInteger completed = new AtomicInteger();
      AtomicBoolean crashed = new AtomicBoolean();
      Queue<String> problems = new ConcurrentLinkedQueue<>();
      AtomicInteger postFailures = new AtomicInteger();
      List<CompletableFuture<Void>> threads = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        threads.add(CompletableFuture.runAsync(() -> {
          for (int i = 0; i < CALLS_PER_THREAD; i++) {
            boolean get = i % 2 == 0;
            MeshRequest request = get ? MeshRequest.get("/users/" + i) : MeshRequest.post("/users", "u" + i);
            long start = System.nanoTime();
            try {
              MeshResponse response = orders.call("users", request)
                  .get(DEADLINE.toMillis() + 2000, TimeUnit.MILLISECONDS);
              if (response.status() != 200) {
                problems.add(request + " answered " + response.status());
              }
            } catch (TimeoutException e) {
              problems.add(request + " hung past its deadline");
            } catch (ExecutionException e) {
              if (get || !(e.getCause() instanceof MeshException)) {
                problems.add(request + " failed: " + e.getCause());
              } else {
                postFailures.incrementAndGet();
              }
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              return;
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            if (millis > DEADLINE.toMillis() + 500) {
              problems.add(request + " took " + millis + " ms, past its deadline");
            }
            if (completed.incrementAndGet() >= CRASH_AFTER && crashed.compareAndSet(false, true)) {
              servers.get(2).close(Duration.ZERO);
            }
          }
        }, runnable -> new Thread(runnable, "load-" + System.nanoTime()).start()));
      }
      CompletableFuture.allOf(threads.toArray(new CompletableFuture<?>[0])).get(90, TimeUnit.SECONDS);

      assertThat(crashed).isTrue();
      assertThat(completed.get()).isEqualTo(THREADS * CALLS_PER_THREAD);
      assertThat(problems).isEmpty();
      assertThat(postFailures.get()).as("POSTs lost with the crashed instance").isLessThanOrEqualTo(THREADS);
    } finally {
      for (NettyTransport transport : serverTransports) {
        transport.close();
      }
    }
  }
}
