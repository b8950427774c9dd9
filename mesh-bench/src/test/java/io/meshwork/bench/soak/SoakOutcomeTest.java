package io.meshwork.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SoakOutcomeTest {

  @Test
  void aCleanSoakPasses() {
    SoakOutcome outcome = outcome(Map.of(), 0, 0, 0, 10, 4);
    assertThat(outcome.failures()).isEmpty();
    assertThat(outcome.toJson()).containsEntry("verdict", "pass").containsEntry("calls", 480_000L)
        .containsEntry("heapSlopeBytesPerMinute", 0L);
  }

  @Test
  void everyBrokenPromiseIsNamed() {
    SoakOutcome outcome = outcome(Map.of("RetriesExhaustedException", 2L, "HTTP 503", 1L), 1, 3, 1, 8, 3);
    assertThat(outcome.errorCount()).isEqualTo(3);
    assertThat(outcome.failures()).containsExactly(
        "errors: 3 {HTTP 503=1, RetriesExhaustedException=2} (expected: 0)",
        "calls still open at the end: 1 (expected: 0, every call ends within its deadline)",
        "leak reports: 3 in the client, 1 in the servers (expected: 0)",
        "client certificate rotations: 8 (expected: >= 9)",
        "server restarts: 3 (expected: 4)");
    assertThat(outcome.toJson()).containsEntry("verdict", "fail");
  }

  @Test
  void aGrowingHeapFails() {
    List<double[]> samples = new ArrayList<>();
    for (int t = 10; t <= 600; t += 10) {
      samples.add(new double[] {t, 50e6 + t * 1e5}); // 6 MB a minute
    }
    SoakOutcome outcome = new SoakOutcome("2026-12-01T00:00:00Z", "abc1234", 600, 1000, 800, 480_000, Map.of(),
        0, 0, 0, new HeapTrend(samples), 10, 20, 9, 4, 4, Map.of());
    assertThat(outcome.failures()).singleElement().asString().startsWith("heap after GC grows 6000000 bytes/min");
  }

  @Test
  void aSoakWithoutCallsFails() {
    SoakOutcome outcome = new SoakOutcome("2026-12-01T00:00:00Z", "abc1234", 600, 0, 0, 0, Map.of(), 0, 0, 0,
        flat(), 10, 20, 9, 4, 4, Map.of());
    assertThat(outcome.failures()).containsExactly("calls: 0 (expected: the soak's rate times its duration)");
  }

  static SoakOutcome outcome(Map<String, Long> errors, long open, long clientLeaks, long serverLeaks,
      int rotations, int restarts) {
    return new SoakOutcome("2026-12-01T00:00:00Z", "abc1234", 600, 1000, 800, 480_000, errors, open, clientLeaks,
        serverLeaks, flat(), rotations, 30, 9, restarts, 4, Map.of("ConnectFailedException", 7L));
  }

  static HeapTrend flat() {
    List<double[]> samples = new ArrayList<>();
    for (int t = 10; t <= 600; t += 10) {
      samples.add(new double[] {t, 40 * 1024 * 1024});
    }
    return new HeapTrend(samples);
  }
}
