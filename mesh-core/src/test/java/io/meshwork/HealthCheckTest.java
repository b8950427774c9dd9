package io.meshwork;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.loadbalancer.LoadBalancer;
import io.meshwork.policy.HealthCheckConfig;
import io.meshwork.policy.ServicePolicy;
import io.meshwork.registry.HealthStatus;
import io.meshwork.registry.InMemoryServiceRegistry;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.resilience.OutlierDetectionConfig;
import io.meshwork.time.FakeTicker;
import io.meshwork.transport.InMemoryTransport;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class HealthCheckTest {

  private final FakeTicker ticker = new FakeTicker();
  private final InMemoryServiceRegistry registry = new InMemoryServiceRegistry();
  private final InMemoryTransport network = new InMemoryTransport(ticker);

  @Test
  void anInstanceFailingItsChecksIsMarkedUnhealthyAndThenHealthyAgain() {
    AtomicBoolean sick = new AtomicBoolean();
    ServicePolicy policy = ServicePolicy.builder().loadBalancer(LoadBalancer::roundRobin)
        .outlierDetection(OutlierDetectionConfig.disabled())
        .healthCheck(HealthCheckConfig.of("/health").withTiming(Duration.ofSeconds(1), Duration.ofMillis(200))
            .withThresholds(2, 3))
        .build();
    try (Mesh users = mesh("user-service", ServicePolicy.defaults());
         Mesh orders = mesh("order-service", policy)) {
      ServiceInstance flaky = users.serve(0, request -> request.path().equals("/health") && sick.get()
          ? CompletableFuture.completedFuture(MeshResponse.of(503))
          : CompletableFuture.completedFuture(MeshResponse.ok("flaky"))).instance();
      users.serve(0, request -> CompletableFuture.completedFuture(MeshResponse.ok("steady")));
      orders.call("user-service", MeshRequest.get("/")).join();

      ticker.advance(Duration.ofSeconds(5));
      assertThat(health(flaky)).isEqualTo(HealthStatus.HEALTHY);
      sick.set(true);
      ticker.advance(Duration.ofSeconds(2));
      assertThat(health(flaky)).as("two failures are not enough").isEqualTo(HealthStatus.HEALTHY);
      ticker.advance(Duration.ofMillis(2000)); // a third check falls due within 3.3 s
      assertThat(health(flaky)).isEqualTo(HealthStatus.UNHEALTHY);
      for (int i = 0; i < 10; i++) {
        assertThat(orders.call("user-service", MeshRequest.get("/")).join().bodyAsString()).isEqualTo("steady");
      }

      sick.set(false);
      ticker.advance(Duration.ofMillis(2500));
      assertThat(health(flaky)).isEqualTo(HealthStatus.HEALTHY);
    }
  }

  @Test
  void aCheckThatGetsNoAnswerWithinItsTimeoutCountsAsAFailure() {
    ServicePolicy policy = ServicePolicy.builder()
        .healthCheck(HealthCheckConfig.of("/health").withTiming(Duration.ofSeconds(1), Duration.ofMillis(100))
            .withThresholds(1, 2))
        .build();
    try (Mesh users = mesh("user-service", ServicePolicy.defaults());
         Mesh orders = mesh("order-service", policy)) {
      ServiceInstance hung = users.serve(0, request -> CompletableFuture.completedFuture(MeshResponse.ok("ok")))
          .instance();
      orders.call("user-service", MeshRequest.get("/")).join();
      network.hang(hung);
      ticker.advance(Duration.ofSeconds(4));
      assertThat(health(hung)).isEqualTo(HealthStatus.UNHEALTHY);
    }
  }

  private HealthStatus health(ServiceInstance instance) {
    return registry.instances("user-service").stream().filter(i -> i.id().equals(instance.id()))
        .findFirst().orElseThrow().health();
  }

  private Mesh mesh(String service, ServicePolicy policy) {
    return Mesh.builder().service(service).registry(registry).transport(network).ticker(ticker)
        .defaultPolicy(policy).random(new java.util.Random(7)).shutdownGrace(Duration.ZERO).build();
  }
}
