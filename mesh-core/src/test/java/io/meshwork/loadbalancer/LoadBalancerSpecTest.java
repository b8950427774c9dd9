package io.meshwork.loadbalancer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.MeshRequest;
import io.meshwork.policy.ServicePolicy;
import io.meshwork.registry.ServiceInstance;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A balancer named by value: equal specs are equal, each makes a fresh balancer of its kind. */
class LoadBalancerSpecTest {

  @Test
  void specsOfTheSameKindAndParametersAreEqual() {
    assertThat(LoadBalancerSpec.peakEwma()).isEqualTo(LoadBalancerSpec.peakEwma(Duration.ofSeconds(10)))
        .isNotEqualTo(LoadBalancerSpec.peakEwma(Duration.ofSeconds(5)));
    assertThat(LoadBalancerSpec.ringHash("X-User-Id")).isEqualTo(LoadBalancerSpec.ringHash("x-user-id"))
        .isNotEqualTo(LoadBalancerSpec.ringHash("x-tenant"));
    assertThat(LoadBalancerSpec.roundRobin()).isNotEqualTo(LoadBalancerSpec.weightedRoundRobin());
    // So two policies built alike are equal, and a reloaded one whose balancer did not change is too.
    assertThat(ServicePolicy.defaults()).isEqualTo(ServicePolicy.builder().build());
    assertThat(ServicePolicy.defaults().loadBalancer()).isEqualTo(LoadBalancerSpec.peakEwma());
  }

  @Test
  void eachSpecMakesAFreshBalancerOfItsKind() {
    assertThat(LoadBalancerSpec.roundRobin().get()).isInstanceOf(RoundRobinBalancer.class);
    assertThat(LoadBalancerSpec.weightedRoundRobin().get()).isInstanceOf(WeightedRoundRobinBalancer.class);
    assertThat(LoadBalancerSpec.random().get()).isInstanceOf(RandomBalancer.class);
    assertThat(LoadBalancerSpec.leastRequest().get()).isInstanceOf(LeastRequestBalancer.class);
    assertThat(LoadBalancerSpec.peakEwma().get()).isInstanceOf(PeakEwmaBalancer.class);
    assertThat(LoadBalancerSpec.ringHash("x-user").get()).isInstanceOf(RingHashBalancer.class);
    LoadBalancerSpec spec = LoadBalancerSpec.leastRequest();
    assertThat(spec.get()).isNotSameAs(spec.get());
  }

  @Test
  void aRingHashSpecHashesItsHeader() {
    LoadBalancer balancer = LoadBalancerSpec.ringHash("X-User").get();
    List<ServiceInstance> instances = Instances.named(5);
    for (int key = 0; key < 20; key++) {
      MeshRequest request = MeshRequest.builder().header("x-user", "user-" + key).build();
      ServiceInstance first = balancer.select(instances, request).orElseThrow();
      assertThat(balancer.select(instances, request)).contains(first);
    }
  }

  @Test
  void eachKindTakesExactlyItsParameters() {
    assertThatThrownBy(() -> LoadBalancerSpec.ringHash(" "))
        .hasMessage("header: ' ' (expected: the request header ringHash hashes, such as x-user-id)");
    assertThatThrownBy(() -> LoadBalancerSpec.ringHash("x user"))
        .hasMessageStartingWith("header name: 'x user'");
    assertThatThrownBy(() -> LoadBalancerSpec.peakEwma(Duration.ZERO)).hasMessage("decay: PT0S (expected: > 0)");
    assertThatThrownBy(() -> new LoadBalancerSpec(LoadBalancerSpec.Kind.ROUND_ROBIN, "x", null))
        .hasMessage("header: 'x' (expected: none; only ringHash hashes a header)");
    assertThatThrownBy(() -> new LoadBalancerSpec(LoadBalancerSpec.Kind.RANDOM, null, Duration.ofSeconds(1)))
        .hasMessage("decay: PT1S (expected: none; only peakEwma decays)");
  }

  @Test
  void itReadsAsItIsWritten() {
    assertThat(LoadBalancerSpec.peakEwma()).hasToString("peakEwma");
    assertThat(LoadBalancerSpec.peakEwma(Duration.ofMillis(1500))).hasToString("peakEwma(decay=1.5s)");
    assertThat(LoadBalancerSpec.ringHash("X-User")).hasToString("ringHash(header=x-user)");
    assertThat(LoadBalancerSpec.weightedRoundRobin()).hasToString("weightedRoundRobin");
  }
}
