package io.meshwork.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.MeshListener;
import io.meshwork.registry.HealthStatus;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.resilience.CircuitBreaker;
import io.meshwork.resilience.CircuitBreakerConfig;
import io.meshwork.resilience.OutlierDetectionConfig;
import io.meshwork.time.FakeTicker;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** The one place that decides what may be picked: health, ejection, open circuits and panic. */
class EligibilityProperties {

  /** One instance's situation: healthy in the registry, ejected, circuit open. */
  record Situation(boolean healthy, boolean ejected, boolean open) {}

  @Property(tries = 1000)
  void picksOnlyHealthyInstancesAndOnlyAvailableOnesOutsidePanic(
      @ForAll("situations") List<Situation> situations, @ForAll @IntRange(min = 0, max = 100) int panicThreshold) {
    FakeTicker ticker = new FakeTicker();
    List<Endpoint> endpoints = new ArrayList<>();
    OutlierDetector detector = new OutlierDetector("svc", OutlierDetectionConfig.builder()
        .consecutiveFailures(1).maxEjectionPercent(100).panicThresholdPercent(panicThreshold).build(),
        new MeshListener() { }, () -> { }, 0);
    for (int i = 0; i < situations.size(); i++) {
      Situation situation = situations.get(i);
      Endpoint endpoint = new Endpoint(ServiceInstance.builder("svc", "i" + i).host("10.0.0." + (i + 1)).port(80)
          .health(situation.healthy() ? HealthStatus.HEALTHY : HealthStatus.UNHEALTHY).build());
      endpoint.breaker = CircuitBreaker.of(CircuitBreakerConfig.builder().consecutiveFailures(1).build(), ticker,
          (from, to) -> { });
      if (situation.open()) {
        endpoint.breaker.tryAcquire();
        endpoint.breaker.onFailure();
      }
      endpoints.add(endpoint);
    }
    detector.endpoints(endpoints);
    for (int i = 0; i < situations.size(); i++) {
      if (situations.get(i).ejected()) {
        detector.onFailure(endpoints.get(i), 1, 0);
      }
    }

    EndpointSnapshot snapshot = Eligibility.snapshot(endpoints, detector, 0, EndpointSnapshot.EMPTY);

    long healthy = situations.stream().filter(Situation::healthy).count();
    long available = situations.stream().filter(s -> s.healthy() && !s.ejected() && !s.open()).count();
    boolean panic = healthy > 0 && available * 100 < panicThreshold * healthy;
    assertThat(snapshot.panic).isEqualTo(panic);
    assertThat(snapshot.healthy).isEqualTo(healthy);
    for (int i = 0; i < situations.size(); i++) {
      Situation situation = situations.get(i);
      boolean expected = situation.healthy() && (panic || (!situation.ejected() && !situation.open()));
      assertThat(snapshot.instances.contains(endpoints.get(i).instance)).as("instance %d: %s", i, situation)
          .isEqualTo(expected);
    }
    if (healthy > 0 && panicThreshold > 0) {
      assertThat(snapshot.instances).as("panic never leaves a service with healthy instances empty").isNotEmpty();
    }
  }

  @Provide
  Arbitrary<List<Situation>> situations() {
    Arbitrary<Situation> one = net.jqwik.api.Combinators.combine(Arbitraries.of(true, true, true, false),
        Arbitraries.of(false, false, true), Arbitraries.of(false, false, true)).as(Situation::new);
    return one.list().ofMinSize(1).ofMaxSize(12);
  }
}
