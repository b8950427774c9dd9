package io.meshwork;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.health.InstanceHealth;
import io.meshwork.health.InstanceState;
import io.meshwork.loadbalancer.LoadBalancer;
import io.meshwork.policy.ServicePolicy;
import io.meshwork.registry.ServiceInstance;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An instance whose connections are refused (a server restarting) is left out of the pick for a
 * backoff, in panic mode too, while another instance can be reached: the soak found a restarted
 * instance taking a third of the calls, in panic after a neighbour's ejection, until the retry
 * budget ran out.
 */
class UnreachableInstanceTest {

  private final TestMeshes meshes = new TestMeshes();
  private final List<AttemptEvent> attempts = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    meshes.close();
  }

  private Mesh caller() {
    return meshes.add(meshes.builder("frontend")
        .defaultPolicy(ServicePolicy.builder().loadBalancer(LoadBalancer::roundRobin).build())
        .listener(new MeshListener() {
          @Override
          public void onAttempt(AttemptEvent event) {
            attempts.add(event);
          }
        }).build());
  }

  private long attemptsOn(ServiceInstance instance) {
    return attempts.stream().filter(event -> event.instance().address().equals(instance.address())).count();
  }

  private static InstanceHealth health(Mesh caller, ServiceInstance instance) {
    return caller.healthReport().destination("user-service").instances().stream()
        .filter(health -> health.instance().address().equals(instance.address())).findFirst().orElseThrow();
  }

  @Test
  void aRefusingInstanceGetsNoAttemptsUntilItsBackoffEndsEvenWhileANeighbourIsEjected() {
    ServiceInstance a = meshes.serveText("user-service", "a").instance();
    ServiceInstance b = meshes.serveText("user-service", "b").instance();
    ServiceInstance c = meshes.serveText("user-service", "c").instance();
    Mesh caller = caller();
    meshes.network.failNext(a, 5, 503);
    assertThat(meshes.join(caller.call("user-service", MeshRequest.get("/"))).status()).isEqualTo(200);
    for (int i = 0; i < 30 && health(caller, a).state() != InstanceState.EJECTED; i++) {
      assertThat(meshes.join(caller.call("user-service", MeshRequest.get("/"))).status()).isEqualTo(200);
    }
    assertThat(health(caller, a).state()).isEqualTo(InstanceState.EJECTED);

    meshes.network.refuse(b); // b restarts: its port refuses connections
    attempts.clear();
    for (int i = 0; i < 60; i++) {
      MeshResponse response = meshes.join(caller.call("user-service", MeshRequest.get("/")));
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.bodyAsString()).isEqualTo("c");
    }
    assertThat(attemptsOn(b)).as("only the attempt that found b refusing").isEqualTo(1);
    assertThat(attemptsOn(c)).isEqualTo(60);
    assertThat(health(caller, b).state()).isEqualTo(InstanceState.UNREACHABLE);
    assertThat(health(caller, b).stateFor()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(1));

    meshes.ticker.advance(Duration.ofMillis(1001)); // the backoff is over: one attempt probes b
    for (int i = 0; i < 10; i++) {
      assertThat(meshes.join(caller.call("user-service", MeshRequest.get("/"))).status()).isEqualTo(200);
    }
    assertThat(attemptsOn(b)).as("one probe, refused again").isEqualTo(2);
    assertThat(health(caller, b).stateFor()).as("the backoff doubled")
        .isGreaterThan(Duration.ofSeconds(1)).isLessThanOrEqualTo(Duration.ofSeconds(2));

    meshes.network.heal(b); // b is back
    meshes.ticker.advance(Duration.ofMillis(2001));
    attempts.clear();
    for (int i = 0; i < 10; i++) {
      assertThat(meshes.join(caller.call("user-service", MeshRequest.get("/"))).status()).isEqualTo(200);
    }
    assertThat(attemptsOn(b)).as("picked again once it answered").isGreaterThanOrEqualTo(4);
    assertThat(health(caller, b).state()).isNotEqualTo(InstanceState.UNREACHABLE);
  }

  @Test
  void aServiceWhoseOnlyInstanceRefusesStillTriesItAndAnswersAsSoonAsItIsBack() {
    ServiceInstance only = meshes.serveText("user-service", "only").instance();
    Mesh caller = caller();
    meshes.network.refuse(only);
    assertThatThrownBy(() -> meshes.join(caller.call("user-service", MeshRequest.get("/"))))
        .isInstanceOf(CompletionException.class).hasCauseInstanceOf(RetriesExhaustedException.class)
        .hasMessageContaining("connection refused");
    assertThat(attemptsOn(only)).as("every attempt tried it: nothing else to pick").isEqualTo(3);
    meshes.network.heal(only);
    MeshResponse back = meshes.join(caller.call("user-service", MeshRequest.get("/")));
    assertThat(back.bodyAsString()).as("no wait for the backoff when nothing else is left").isEqualTo("only");
    assertThat(health(caller, only).state()).isEqualTo(InstanceState.AVAILABLE);
  }
}
