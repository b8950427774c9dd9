package io.meshwork.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The targets read from the paired CPU comparisons ({@code PairedCpu}): a feature's throughput
 * ratio, base over with, pair by pair. The error bar is the distribution-free confidence interval of
 * the median ratio (at least 95%, from the order statistics of the pairs: for 16 pairs, the 4th to
 * the 13th), so one pair a neighbour's build slowed does not decide the verdict, and the target is
 * met only when that whole interval clears it. Every pair's range is reported as well.
 */
final class PairedTargets {

  private PairedTargets() {}

  static Targets.Row ratio(Figures f, String comparison, String figure) {
    JsonNode paired = f.root().path("paired").path(comparison);
    if (paired.isMissingNode() || paired.path("ratios").isEmpty()) {
      return new Targets.Row(figure, "≥ 0.9×", "—", "not measured");
    }
    List<Double> ratios = numbers(paired.path("ratios"));
    Stats all = Stats.of(ratios);
    double[] interval = medianInterval(ratios);
    String measured = Text.format("%.2f× (%.2f×–%.2f×, the median's 95%% interval; every pair %.2f×–%.2f×); %.1f"
        + " against %.1f µs CPU per call (medians of %d pairs of %,d calls)", all.median(), interval[0], interval[1],
        all.min(), all.max(), Stats.of(numbers(paired.path("withMicros"))).median(),
        Stats.of(numbers(paired.path("baseMicros"))).median(), all.rounds(), paired.path("callsPerRound").asInt());
    return new Targets.Row(figure, "≥ 0.9×", measured, Targets.verdict(interval[0] >= 0.9, all.median() >= 0.9));
  }

  /**
   * The interval [x(k), x(n+1-k)] of the sorted values that holds the median with at least 95%
   * confidence: the largest k whose binomial tail P(X < k), X ~ B(n, 1/2), is at most 2.5%. Fewer
   * than 6 values give no such k: their whole range.
   */
  static double[] medianInterval(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    double tail = 0;
    double term = Math.pow(0.5, n); // P(X = 0)
    int k = 0;
    for (int i = 0; i < n; i++) {
      tail += term; // P(X <= i)
      if (tail > 0.025) {
        break;
      }
      k = i + 1;
      term = term * (n - i) / (i + 1);
    }
    if (k == 0) {
      return new double[] {sorted.get(0), sorted.get(n - 1)};
    }
    return new double[] {sorted.get(k - 1), sorted.get(n - k)};
  }

  private static List<Double> numbers(JsonNode array) {
    List<Double> values = new ArrayList<>();
    array.forEach(value -> values.add(value.asDouble()));
    return values;
  }
}
