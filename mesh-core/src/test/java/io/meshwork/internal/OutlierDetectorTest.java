package io.meshwork.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.registry.ServiceInstance;
import io.meshwork.resilience.CircuitBreaker;
import io.meshwork.resilience.CircuitBreakerConfig;
import io.meshwork.resilience.OutlierDetectionConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Success-rate and failure-percentage ejection, on the interval of the mesh's ticker. */
class OutlierDetectorTest {

  private static final long SECOND = 1_000_000_000L;
  private final List<ServiceInstance> ejected = new ArrayList<>();

  static List<Endpoint> endpoints(int count) {
    List<Endpoint> endpoints = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Endpoint endpoint = new Endpoint(ServiceInstance.builder("svc", "i" + i).host("10.0.0." + (i + 1))
          .port(8080).build());
      endpoint.breaker = CircuitBreaker.of(CircuitBreakerConfig.defaults());
      endpoints.add(endpoint);
    }
    return endpoints;
  }

  private OutlierDetector detector(OutlierDetectionConfig config, List<Endpoint> endpoints) {
    OutlierDetector detector = new OutlierDetector("svc", config, new io.meshwork.MeshListener() {
      @Override
      public void onEjected(String service, ServiceInstance instance, Duration duration) {
        ejected.add(instance);
      }
    }, () -> { }, 0);
    detector.endpoints(endpoints);
    return detector;
  }

  /** Consecutive failures out of the way, so only the interval triggers eject. */
  private static OutlierDetectionConfig.Builder intervalOnly() {
    return OutlierDetectionConfig.builder().consecutiveFailures(1_000_000).maxEjectionPercent(100);
  }

  /** {@code calls} outcomes on {@code endpoint}, {@code successes} of them successes, spread so none is 5 failures in a row. */
  static void feed(OutlierDetector detector, Endpoint endpoint, int calls, int successes, long now) {
    for (int i = 0; i < calls; i++) {
      if (i * (long) successes / calls != (i + 1) * (long) successes / calls) {
        detector.onSuccess(endpoint, 1_000_000, now);
      } else {
        detector.onFailure(endpoint, 1_000_000, now);
      }
    }
  }

  @Test
  void oneInstanceAt60PercentAmongFourAt99PercentIsTheOnlyOneEjected() {
    List<Endpoint> endpoints = endpoints(5);
    OutlierDetector detector = detector(intervalOnly().build(), endpoints);
    feed(detector, endpoints.get(0), 200, 120, SECOND);
    for (int i = 1; i < 5; i++) {
      feed(detector, endpoints.get(i), 200, 198, SECOND);
    }
    detector.evaluateIfDue(10 * SECOND);
    assertThat(ejected).containsExactly(endpoints.get(0).instance);
    assertThat(detector.ejectedUntil(endpoints.get(0), 10 * SECOND)).isEqualTo(40 * SECOND);
    assertThat(detector.ejectedUntil(endpoints.get(1), 10 * SECOND)).isEqualTo(Long.MIN_VALUE);
  }

  @Test
  void aRateEqualToTheThresholdIsNotBelowItWhateverTheRounding() {
    // With two hosts and a factor of 1 the threshold is the lower rate itself: mean - |a - b| / 2 = min(a, b).
    for (int calls = 2; calls <= 60; calls++) {
      List<Endpoint> endpoints = endpoints(2);
      OutlierDetector detector = detector(intervalOnly().successRate(true, 2, 1, 1.0).build(), endpoints);
      feed(detector, endpoints.get(0), calls, 1, SECOND);
      feed(detector, endpoints.get(1), 3, 1, SECOND);
      detector.evaluateIfDue(10 * SECOND);
      assertThat(ejected).as("1 of %d against 1 of 3", calls).isEmpty();
    }
  }

  @Test
  void withFewerHostsOrCallsThanTheMinimumsNobodyIsEjected() {
    List<Endpoint> four = endpoints(4);
    OutlierDetector fewHosts = detector(intervalOnly().build(), four);
    feed(fewHosts, four.get(0), 200, 20, SECOND);
    for (int i = 1; i < 4; i++) {
      feed(fewHosts, four.get(i), 200, 200, SECOND);
    }
    fewHosts.evaluateIfDue(10 * SECOND);

    List<Endpoint> five = endpoints(5);
    OutlierDetector fewCalls = detector(intervalOnly().build(), five);
    feed(fewCalls, five.get(0), 99, 10, SECOND);
    for (int i = 1; i < 5; i++) {
      feed(fewCalls, five.get(i), 200, 200, SECOND);
    }
    fewCalls.evaluateIfDue(10 * SECOND);
    assertThat(ejected).isEmpty();
  }

  @Test
  void theIntervalClosesOnlyWhenTheTickerPassesIt() {
    List<Endpoint> endpoints = endpoints(5);
    OutlierDetector detector = detector(intervalOnly().build(), endpoints);
    feed(detector, endpoints.get(0), 200, 0, SECOND);
    for (int i = 1; i < 5; i++) {
      feed(detector, endpoints.get(i), 200, 200, SECOND);
    }
    detector.evaluateIfDue(10 * SECOND - 1);
    assertThat(ejected).isEmpty();
    detector.evaluateIfDue(10 * SECOND);
    assertThat(ejected).hasSize(1);
  }

  @Test
  void failurePercentageEjectsEveryInstanceAtTheThresholdWithinTheMaxEjectionShare() {
    List<Endpoint> endpoints = endpoints(10);
    OutlierDetectionConfig config = intervalOnly().successRateEjection(false).maxEjectionPercent(20)
        .failurePercentage(true, 50, 5, 50).build();
    OutlierDetector detector = detector(config, endpoints);
    for (int i = 0; i < 10; i++) {
      feed(detector, endpoints.get(i), 100, i < 3 ? 40 : 100, SECOND);
    }
    detector.evaluateIfDue(10 * SECOND);
    assertThat(ejected).as("three failing, but 20% of 10 may be ejected").hasSize(2)
        .allMatch(instance -> instance.id().equals("i0") || instance.id().equals("i1") || instance.id().equals("i2"));
  }

  @Test
  void anEjectionEndsAtItsTimeAndTheNextOneLastsLonger() {
    List<Endpoint> endpoints = endpoints(3);
    OutlierDetector detector = detector(OutlierDetectionConfig.builder().consecutiveFailures(2)
        .maxEjectionPercent(50).build(), endpoints);
    Endpoint bad = endpoints.get(0);
    detector.onFailure(bad, 1, 0);
    detector.onFailure(bad, 1, 0);
    assertThat(detector.ejectedUntil(bad, 0)).isEqualTo(30 * SECOND);
    assertThat(detector.ejectedUntil(bad, 30 * SECOND)).isEqualTo(Long.MIN_VALUE);
    detector.onFailure(bad, 1, 31 * SECOND);
    detector.onFailure(bad, 1, 31 * SECOND);
    assertThat(detector.ejectedUntil(bad, 31 * SECOND)).isEqualTo(91 * SECOND);
  }
}
