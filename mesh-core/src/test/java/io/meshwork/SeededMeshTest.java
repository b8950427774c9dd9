package io.meshwork;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.policy.ServicePolicy;
import io.meshwork.registry.InMemoryServiceRegistry;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.resilience.RetryPolicy;
import io.meshwork.time.FakeTicker;
import io.meshwork.transport.InMemoryTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A seeded mesh on a fake ticker repeats itself exactly: picks, backoff and jitter included. */
class SeededMeshTest {

  @Test
  void twoRunsWithTheSameSeedMakeTheSameChoicesAtTheSameTimes() {
    assertThat(run(7)).isEqualTo(run(7)).isNotEqualTo(run(8));
  }

  /** Each attempt as "instance@fake-ms". */
  private static List<String> run(long seed) {
    FakeTicker ticker = new FakeTicker();
    InMemoryServiceRegistry registry = new InMemoryServiceRegistry();
    InMemoryTransport network = new InMemoryTransport(ticker);
    List<String> attempts = new ArrayList<>();
    try (Mesh users = Mesh.builder().service("user-service").registry(registry).transport(network)
            .ticker(ticker).build();
        Mesh orders = Mesh.builder().service("order-service").registry(registry).transport(network)
            .ticker(ticker).random(new Random(seed))
            .defaultPolicy(ServicePolicy.builder().retry(RetryPolicy.builder().maxAttempts(4)
                .backoff(Duration.ofMillis(10), Duration.ofMillis(200)).build()).build())
            .listener(new MeshListener() {
              @Override
              public void onAttempt(AttemptEvent event) {
                attempts.add(event.instance().id() + "@" + Duration.ofNanos(ticker.nanoTime()).toMillis());
              }
            }).build()) {
      List<ServiceInstance> instances = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        instances.add(users.serve(0, request -> CompletableFuture.completedFuture(MeshResponse.ok("u"))).instance());
      }
      network.fail(instances.get(1), 503);
      network.fail(instances.get(4), 503);
      for (int call = 0; call < 30; call++) {
        CompletableFuture<MeshResponse> done = orders.call("user-service", MeshRequest.get("/" + call));
        FakeTime.runUntilDone(ticker, done, Duration.ofSeconds(5));
      }
    } finally {
      network.close();
    }
    return attempts;
  }
}
