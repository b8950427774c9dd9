package io.meshwork.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.Mesh;
import io.meshwork.MeshListener;
import io.meshwork.config.ConfigChange;
import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import io.meshwork.config.MeshConfig;
import io.meshwork.policy.ServicePolicy;
import io.meshwork.registry.InMemoryServiceRegistry;
import io.meshwork.traffic.HeaderMatch;
import io.meshwork.traffic.RouteDestination;
import io.meshwork.traffic.RouteMatch;
import io.meshwork.traffic.RouteRule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mesh.yaml rewritten 20 times (in place and by rename) while 4 threads call over real sockets:
 * no call fails, and each new config is followed as soon as the mesh has applied it.
 */
class ReloadUnderLoadTest {

  @TempDir
  Path dir;
  private final InMemoryServiceRegistry registry = new InMemoryServiceRegistry();
  private final BlockingQueue<ConfigChange> applied = new LinkedBlockingQueue<>();
  private final List<AutoCloseable> closing = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
  }

  private <T extends AutoCloseable> T closeLater(T resource) {
    closing.add(resource);
    return resource;
  }

  /** Every fifth round all calls go to v2, the round after to v1; the others split in between. */
  private static int canary(int round) {
    return round % 5 == 0 ? 100 : round % 5 == 1 ? 0 : (round * 37) % 101;
  }

  private static MeshConfig config(int round) {
    int canary = canary(round);
    ServicePolicy policy = ServicePolicy.builder()
        .timeout(Duration.ofSeconds(5 + round % 3))
        .subset("v1", Map.of("version", "v1")).subset("v2", Map.of("version", "v2"))
        .route(RouteRule.builder("pinned-" + round)
            .match(RouteMatch.builder().header(HeaderMatch.exact("x-round", String.valueOf(round))).build())
            .destination(RouteDestination.of("user-service", round % 2 == 0 ? "v1" : "v2")).build())
        .route(RouteRule.builder("split")
            .destination(RouteDestination.of("user-service", "v1").withWeight(100 - canary))
            .destination(RouteDestination.of("user-service", "v2").withWeight(canary)).build())
        .build();
    return MeshConfig.builder().service("user-service", policy).build();
  }

  @Test
  void twentyRewritesOfTheFileUnderLoadFailNoCallAndAreFollowedAtOnce() throws Exception {
    NettyTransport transport = closeLater(NettyTransport.builder().eventLoopThreads(2).build());
    for (String version : List.of("v1", "v2")) {
      Mesh users = closeLater(Mesh.builder().service("user-service").registry(registry).transport(transport)
          .labels(Map.of("version", version)).build());
      users.serve(0, request -> CompletableFuture.completedFuture(MeshResponse.ok(version)));
    }
    Path file = dir.resolve("mesh.yaml");
    Files.writeString(file, config(0).toYaml());
    Mesh frontend = closeLater(Mesh.builder().service("frontend").registry(registry).transport(transport)
        .config(file).listener(new MeshListener() {
          @Override
          public void onConfigApplied(ConfigChange change) {
            applied.add(change);
          }
        }).build());
    assertThat(applied.poll(10, TimeUnit.SECONDS)).isNotNull();
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger calls = new AtomicInteger();
    Map<String, Throwable> failures = new ConcurrentHashMap<>();
    CountDownLatch done = new CountDownLatch(4);
    for (int t = 0; t < 4; t++) {
      Thread caller = new Thread(() -> {
        try {
          while (running.get()) {
            try {
              MeshResponse response = frontend.call("user-service", MeshRequest.get("/")).get(10, TimeUnit.SECONDS);
              if (response.status() != 200) {
                failures.put("status " + response.status(), new AssertionError(response));
              }
              calls.incrementAndGet();
            } catch (Exception e) {
              failures.put(e.toString(), e);
            }
          }
        } finally {
          done.countDown();
        }
      }, "caller-" + t);
      caller.start();
    }
    for (int round = 1; round <= 20; round++) {
      int before = calls.get();
      if (round % 2 == 0) {
        Files.writeString(file, config(round).toYaml());
      } else {
        Path next = dir.resolve("mesh.yaml.new");
        Files.writeString(next, config(round).toYaml());
        Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      }
      assertThat(applied.poll(10, TimeUnit.SECONDS)).as("round %d applied", round).isNotNull();
      // Right after the swap, a pinned call follows the new rule.
      String expected = round % 2 == 0 ? "v1" : "v2";
      for (int i = 0; i < 5; i++) {
        assertThat(frontend.call("user-service", MeshRequest.builder().path("/").header("x-round",
            String.valueOf(round)).build()).get(10, TimeUnit.SECONDS).bodyAsString()).isEqualTo(expected);
      }
      int canary = canary(round);
      if (canary == 0 || canary == 100) {
        String only = canary == 0 ? "v1" : "v2";
        for (int i = 0; i < 20; i++) {
          assertThat(frontend.call("user-service", MeshRequest.get("/")).get(10, TimeUnit.SECONDS).bodyAsString())
              .isEqualTo(only);
        }
      }
      // Let the callers make some calls on this config before the next one.
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (calls.get() < before + 50 && failures.isEmpty() && System.nanoTime() < until) {
        Thread.onSpinWait();
      }
    }
    running.set(false);
    assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(failures).as("calls that failed while configs were applied").isEmpty();
    assertThat(calls.get()).isGreaterThanOrEqualTo(1_000);
  }
}
