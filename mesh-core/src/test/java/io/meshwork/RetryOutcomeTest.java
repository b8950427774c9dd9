package io.meshwork;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.health.InstanceState;
import io.meshwork.loadbalancer.LoadBalancer;
import io.meshwork.policy.ServicePolicy;
import io.meshwork.policy.StatusSet;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.resilience.CircuitState;
import io.meshwork.resilience.OutlierDetectionConfig;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a call returns when retries cannot cure it, and how a one-instance service behaves when one
 * of its paths fails: the defects found calling a real nginx through the mesh.
 */
class RetryOutcomeTest {

  private final TestMeshes meshes = new TestMeshes();
  private final AtomicInteger received = new AtomicInteger();
  private ServiceInstance edge;

  @AfterEach
  void close() {
    meshes.close();
  }

  /** One instance of edge-b: /fail answers 503, everything else 200. */
  private void oneInstanceWithAFailingPath() {
    edge = meshes.serve("edge-b", request -> {
      received.incrementAndGet();
      return CompletableFuture.completedFuture(request.path().startsWith("/fail")
          ? MeshResponse.of(503) : MeshResponse.ok("fine"));
    }).instance();
  }

  @Test
  void a503ThatRetriesCouldNotCureIsReturnedEvenWhenTheBreakerOpenedBeforeTheLastAttempt() {
    oneInstanceWithAFailingPath();
    // No panic routing: the third attempt of the second call is refused by the open breaker.
    Mesh caller = meshes.mesh("edge-a", ServicePolicy.builder()
        .outlierDetection(OutlierDetectionConfig.builder().panicThresholdPercent(0).build()).build());
    MeshResponse first = meshes.join(caller.call("edge-b", MeshRequest.get("/fail")));
    assertThat(first.status()).isEqualTo(503);
    assertThat(first.attempts()).isEqualTo(3);
    MeshResponse second = meshes.join(caller.call("edge-b", MeshRequest.get("/fail")));
    assertThat(second.status()).as("the 503 beats the local refusal").isEqualTo(503);
    assertThat(second.attempts()).as("only attempts that were sent count").isEqualTo(2);
    assertThat(received).hasValue(5);
    assertThat(caller.healthReport().destination("edge-b").instances().get(0).circuit())
        .isEqualTo(CircuitState.OPEN);
  }

  @Test
  void aOneInstanceServiceStillAnswersItsHealthyPathAfterAnotherPathOpenedItsBreaker() {
    oneInstanceWithAFailingPath();
    Mesh caller = meshes.mesh("edge-a", ServicePolicy.defaults());
    meshes.join(caller.call("edge-b", MeshRequest.get("/fail")));
    MeshResponse second = meshes.join(caller.call("edge-b", MeshRequest.get("/fail")));
    assertThat(second.status()).isEqualTo(503);
    assertThat(second.attempts()).as("panic routing sends the third attempt too").isEqualTo(3);
    var health = caller.healthReport().destination("edge-b");
    assertThat(health.panic()).isTrue();
    assertThat(health.instances().get(0).state()).isIn(InstanceState.CIRCUIT_OPEN, InstanceState.EJECTED);
    MeshResponse ok = meshes.join(caller.call("edge-b", MeshRequest.get("/ok")));
    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.bodyAsString()).isEqualTo("fine");
  }

  @Test
  void halfOpenProbesCloseTheBreakerOnceThePathHeals() {
    oneInstanceWithAFailingPath();
    Mesh caller = meshes.mesh("edge-a", ServicePolicy.defaults());
    meshes.join(caller.call("edge-b", MeshRequest.get("/fail")));
    meshes.join(caller.call("edge-b", MeshRequest.get("/fail")));
    meshes.ticker.advance(Duration.ofSeconds(31)); // past the open duration and the ejection
    for (int i = 0; i < 3; i++) {
      assertThat(meshes.join(caller.call("edge-b", MeshRequest.get("/ok"))).status()).isEqualTo(200);
    }
    assertThat(caller.healthReport().destination("edge-b").instances().get(0).circuit())
        .isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void aResponseBeatsALaterResetAndTheAttemptCountIsExact() {
    AtomicInteger calls = new AtomicInteger();
    ServiceInstance a = meshes.serve("user-service", request -> {
      calls.incrementAndGet();
      return CompletableFuture.completedFuture(MeshResponse.of(502));
    }).instance();
    ServiceInstance b = meshes.serveText("user-service", "b").instance();
    meshes.network.reset(b);
    Mesh caller = meshes.mesh("order-service", ServicePolicy.builder().loadBalancer(LoadBalancer::roundRobin).build());
    MeshResponse response = meshes.join(caller.call("user-service", MeshRequest.get("/")));
    assertThat(response.status()).isEqualTo(502);
    assertThat(response.attempts()).isEqualTo(3);
    assertThat(calls.get() + meshes.network.requestsTo(b)).isEqualTo(3);
    assertThat(meshes.network.requestsTo(a)).isEqualTo(calls.get());
  }

  @Test
  void theFailureStatusesSayWhatCountsAgainstAnInstance() {
    oneInstanceWithAFailingPath();
    // Only 500 counts against the instance: the 503s of /fail are its successes.
    Mesh counting = meshes.mesh("edge-a", ServicePolicy.builder().failureStatuses(StatusSet.of(500)).build());
    for (int i = 0; i < 5; i++) {
      meshes.join(counting.call("edge-b", MeshRequest.get("/fail")));
    }
    var instance = counting.healthReport().destination("edge-b").instances().get(0);
    assertThat(instance.circuit()).isEqualTo(CircuitState.CLOSED);
    assertThat(instance.state()).isEqualTo(InstanceState.AVAILABLE);
    assertThat(instance.successRate()).isEqualTo(1.0);
  }

  @Test
  void withAllAttemptsRefusedLocallyTheRefusalIsReportedNotARetriesExhausted() {
    meshes.serve("user-service", request -> CompletableFuture.completedFuture(MeshResponse.ok("x")));
    Mesh caller = meshes.mesh("order-service", ServicePolicy.defaults());
    meshes.registry.instances("user-service").forEach(instance ->
        meshes.registry.deregister("user-service", instance.id()).join());
    CompletableFuture<MeshResponse> call = caller.call("user-service", MeshRequest.get("/"));
    assertThatThrownBy(() -> meshes.join(call)).cause().isInstanceOf(NoHealthyInstanceException.class)
        .hasMessageContaining("user-service: no instance registered");
  }
}
