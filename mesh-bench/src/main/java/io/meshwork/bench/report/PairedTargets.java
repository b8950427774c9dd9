package io.meshwork.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The targets read from the paired CPU comparisons ({@code PairedCpu}): a feature's throughput
 * ratio, base over with, pair by pair. Met only when every pair is within the target, as the
 * comparison rounds are.
 */
final class PairedTargets {

  private PairedTargets() {}

  static Targets.Row ratio(Figures f, String comparison, String figure) {
    JsonNode paired = f.root().path("paired").path(comparison);
    if (paired.isMissingNode() || paired.path("ratios").isEmpty()) {
      return new Targets.Row(figure, "≥ 0.9×", "—", "not measured");
    }
    Stats ratios = Stats.of(numbers(paired.path("ratios")));
    Stats base = Stats.of(numbers(paired.path("baseMicros")));
    Stats with = Stats.of(numbers(paired.path("withMicros")));
    String measured = Text.spread(ratios, "%.2f×") + Text.format("; %.1f against %.1f µs CPU per call (medians of"
        + " %d pairs of %,d calls)", with.median(), base.median(), ratios.rounds(), paired.path("callsPerRound").asInt());
    return new Targets.Row(figure, "≥ 0.9×", measured, Targets.verdict(ratios.min() >= 0.9, ratios.median() >= 0.9));
  }

  private static List<Double> numbers(JsonNode array) {
    List<Double> values = new ArrayList<>();
    array.forEach(value -> values.add(value.asDouble()));
    return values;
  }
}
