package io.meshwork;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.policy.ServicePolicy;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.resilience.CircuitBreakerConfig;
import io.meshwork.resilience.CircuitState;
import io.meshwork.resilience.OutlierDetectionConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * When every instance's breaker refuses a permit (all half-open, their probes in flight), no
 * instance passes: that is panic by the panic threshold's own rule, so calls still go out. The soak
 * found a cold start on a busy machine opening every breaker, then every half-open one refusing the
 * calls beyond its probes with {@link CircuitOpenException} while the instances were fine.
 */
class HalfOpenPanicTest {

  private final TestMeshes meshes = new TestMeshes();

  @AfterEach
  void close() {
    meshes.close();
  }

  /** Two instances whose breakers opened and went half-open, each with its one probe hanging. */
  private Mesh callerWithEveryBreakerHalfOpenAndBusy(OutlierDetectionConfig outliers, List<ServiceInstance> both) {
    both.add(meshes.serveText("user-service", "a").instance());
    both.add(meshes.serveText("user-service", "b").instance());
    Mesh caller = meshes.mesh("frontend", ServicePolicy.builder()
        .circuitBreaker(CircuitBreakerConfig.builder().halfOpenProbes(1).build())
        .outlierDetection(outliers).build());
    both.forEach(instance -> meshes.network.fail(instance, 503));
    for (int i = 0; i < 10; i++) {
      meshes.run(caller.call("user-service", MeshRequest.get("/")), Duration.ofSeconds(60)); // 503s, then refusals
    }
    assertThat(caller.healthReport().destination("user-service").instances())
        .allSatisfy(instance -> assertThat(instance.circuit()).isEqualTo(CircuitState.OPEN));
    meshes.ticker.advance(Duration.ofSeconds(11)); // past the open duration: half-open
    both.forEach(meshes.network::hang);
    List<CompletableFuture<MeshResponse>> probes = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      probes.add(caller.call("user-service", MeshRequest.get("/"),
          CallOptions.builder().timeout(Duration.ofMinutes(5)).build()));
    }
    assertThat(probes).noneMatch(CompletableFuture::isDone);
    both.forEach(meshes.network::heal);
    return caller;
  }

  @Test
  void aCallStillGoesOutWhenEveryHalfOpenBreakerIsOutOfProbes() {
    List<ServiceInstance> both = new ArrayList<>();
    Mesh caller = callerWithEveryBreakerHalfOpenAndBusy(
        OutlierDetectionConfig.builder().enabled(false).build(), both);
    MeshResponse answer = meshes.join(caller.call("user-service", MeshRequest.get("/")));
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.bodyAsString()).isIn("a", "b");
  }

  @Test
  void withoutPanicRoutingTheLocalRefusalStands() {
    List<ServiceInstance> both = new ArrayList<>();
    Mesh caller = callerWithEveryBreakerHalfOpenAndBusy(
        OutlierDetectionConfig.builder().enabled(false).panicThresholdPercent(0).build(), both);
    CompletableFuture<MeshResponse> refused = meshes.run(caller.call("user-service", MeshRequest.get("/")),
        Duration.ofSeconds(60));
    assertThat(refused).failsWithin(Duration.ZERO).withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withCauseInstanceOf(CircuitOpenException.class);
  }
}
