package io.meshwork.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PairedTargetsTest {

  private static List<Double> oneTo(int n) {
    List<Double> values = new ArrayList<>();
    for (int i = n; i >= 1; i--) {
      values.add((double) i);
    }
    return values;
  }

  @Test
  void theMediansIntervalComesFromTheBinomialOrderStatistics() {
    // n = 16: P(X <= 3) = 1.06%, P(X <= 4) = 3.84%, so the 4th and 13th of the sorted values.
    assertThat(PairedTargets.medianInterval(oneTo(16))).containsExactly(4.0, 13.0);
    // n = 8: P(X = 0) = 0.39%, P(X <= 1) = 3.5%: the 1st and 8th.
    assertThat(PairedTargets.medianInterval(oneTo(8))).containsExactly(1.0, 8.0);
    // n = 5: even the extremes hold the median with only 93.75%: the whole range.
    assertThat(PairedTargets.medianInterval(oneTo(5))).containsExactly(1.0, 5.0);
  }

  @Test
  void oneSlowPairDoesNotDecideButABroadSpreadDoes() throws Exception {
    List<Double> ratios = new ArrayList<>(List.of(0.97, 0.98, 0.99, 1.0, 1.01, 0.96, 0.95, 0.97, 0.99, 1.02, 0.98,
        0.97, 0.99, 1.0, 0.96, 0.62));
    assertThat(row(ratios).verdict()).isEqualTo("met");
    assertThat(row(ratios).measured()).contains("every pair 0.62×–1.02×");
    List<Double> broad = new ArrayList<>(List.of(0.85, 0.86, 0.87, 0.88, 0.89, 0.9, 0.91, 0.92, 0.93, 0.94, 0.95,
        0.96, 0.97, 0.98, 0.99, 1.0));
    assertThat(row(broad).verdict()).startsWith("**not shown**");
  }

  private static Targets.Row row(List<Double> ratios) throws Exception {
    String json = new ObjectMapper().writeValueAsString(java.util.Map.of("paired", java.util.Map.of("telemetry",
        java.util.Map.of("ratios", ratios, "baseMicros", List.of(30.0), "withMicros", List.of(31.0),
            "callsPerRound", 20000))));
    return PairedTargets.ratio(new Figures(new ObjectMapper().readTree(json)), "telemetry", "figure");
  }
}
