package io.meshwork.testing.sample;

import io.meshwork.Mesh;
import io.meshwork.MeshRequest;
import io.meshwork.loadbalancer.LoadBalancer;
import io.meshwork.policy.ServicePolicy;
import io.meshwork.resilience.CircuitBreakerConfig;
import io.meshwork.resilience.OutlierDetectionConfig;
import io.meshwork.resilience.RetryPolicy;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A user's own service, as an application would write it: it greets a user by the name user-service
 * gives, retries through the mesh, and falls back to a plain greeting when user-service cannot answer.
 * The test kit's own tests check it through the kit alone.
 */
final class GreetingService {

  /** The policy the application gives the mesh for its calls to user-service. */
  static final ServicePolicy USER_SERVICE_POLICY = ServicePolicy.builder()
      .timeout(Duration.ofSeconds(2))
      .retry(RetryPolicy.builder().maxAttempts(3).perTryTimeout(Duration.ofMillis(300)).build())
      .circuitBreaker(CircuitBreakerConfig.builder().consecutiveFailures(3)
          .openDuration(Duration.ofSeconds(10)).halfOpenProbes(1).build())
      .outlierDetection(OutlierDetectionConfig.builder().consecutiveFailures(2)
          .maxEjectionPercent(50).build())
      .loadBalancer(LoadBalancer::roundRobin)
      .build();

  static final String FALLBACK = "Hello, guest";

  private final Mesh mesh;

  GreetingService(Mesh mesh) {
    this.mesh = mesh;
  }

  /** "Hello, <name>", or the fallback when user-service fails, whatever the failure. */
  CompletableFuture<String> greet(String userId) {
    return mesh.call("user-service", MeshRequest.get("/users/" + userId))
        .thenApply(response -> response.status() == 200 ? "Hello, " + response.bodyAsString() : FALLBACK)
        .exceptionally(failure -> FALLBACK);
  }
}
