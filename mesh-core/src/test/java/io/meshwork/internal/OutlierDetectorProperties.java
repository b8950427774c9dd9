package io.meshwork.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.MeshListener;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.resilience.OutlierDetectionConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Success-rate ejection against a reference computation, over random outcome streams. */
class OutlierDetectorProperties {

  private static final long SECOND = 1_000_000_000L;

  @Property(tries = 1000)
  void ejectsExactlyTheOutliersTheReferenceFindsWithinTheMaxEjectionShare(
      @ForAll @Size(min = 1, max = 12) List<@IntRange(min = 0, max = 300) Integer> calls,
      @ForAll @Size(min = 12, max = 12) List<@DoubleRange(min = 0, max = 1) Double> successShares,
      @ForAll @IntRange(min = 1, max = 8) int minimumHosts, @ForAll @IntRange(min = 1, max = 200) int volume,
      @ForAll @DoubleRange(min = 0.5, max = 3) double stdevFactor,
      @ForAll @IntRange(min = 0, max = 100) int maxEjectionPercent) {
    List<Endpoint> endpoints = OutlierDetectorTest.endpoints(calls.size());
    Set<String> ejected = new HashSet<>();
    OutlierDetectionConfig config = OutlierDetectionConfig.builder().consecutiveFailures(1_000_000)
        .maxEjectionPercent(maxEjectionPercent).successRate(true, minimumHosts, volume, stdevFactor).build();
    OutlierDetector detector = new OutlierDetector("svc", config, new MeshListener() {
      @Override
      public void onEjected(String service, ServiceInstance instance, Duration duration) {
        ejected.add(instance.id());
      }
    }, () -> { }, 0);
    detector.endpoints(endpoints);
    int[] successes = new int[calls.size()];
    for (int i = 0; i < calls.size(); i++) {
      successes[i] = (int) Math.round(calls.get(i) * successShares.get(i));
      OutlierDetectorTest.feed(detector, endpoints.get(i), calls.get(i), successes[i], SECOND);
    }
    detector.evaluateIfDue(10 * SECOND);

    int allowed = maxEjectionPercent == 0 ? 0 : Math.max(1, calls.size() * maxEjectionPercent / 100);
    assertThat(ejected.size()).isLessThanOrEqualTo(allowed);
    Set<String> outliers = referenceOutliers(calls, successes, minimumHosts, volume, stdevFactor);
    assertThat(outliers).containsAll(ejected);
    assertThat(ejected.size()).isEqualTo(Math.min(outliers.size(), allowed));
  }

  /** Envoy's success-rate rule, written plainly. */
  private static Set<String> referenceOutliers(List<Integer> calls, int[] successes, int minimumHosts,
      int volume, double factor) {
    List<Integer> counted = new ArrayList<>();
    for (int i = 0; i < calls.size(); i++) {
      if (calls.get(i) >= volume) {
        counted.add(i);
      }
    }
    Set<String> outliers = new HashSet<>();
    if (counted.size() < minimumHosts) {
      return outliers;
    }
    double mean = counted.stream().mapToDouble(i -> (double) successes[i] / calls.get(i)).average().orElseThrow();
    double variance = counted.stream().mapToDouble(i -> Math.pow((double) successes[i] / calls.get(i) - mean, 2))
        .average().orElseThrow();
    double threshold = mean - factor * Math.sqrt(variance);
    for (int i : counted) {
      if ((double) successes[i] / calls.get(i) < threshold - 1e-9) { // equal up to rounding is not below
        outliers.add("i" + i);
      }
    }
    return outliers;
  }
}
