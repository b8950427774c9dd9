package io.meshwork.bench.scale;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How long a rolling restart took to reach the callers: for every caller and every change (an
 * instance gone, an instance added), the time from when the change was written to when the caller's
 * picker first showed it, from the wall-clock times each JVM of the one machine recorded. Counted
 * from when the write was issued (the registering process's lease grant and put, or its close and
 * lease revoke, included), and also from when etcd acknowledged it to the writer (a caller may see
 * it first: those count as 0).
 */
final class RestartLatencies {

  private final List<Long> perCallerMicros = new ArrayList<>();
  private final List<Long> everyCallerMicros = new ArrayList<>();
  private final List<Long> afterAckMicros = new ArrayList<>();
  private int missed;

  /**
   * A change issued at {@code atMicros} and acknowledged at {@code doneMicros}: {@code id} added (or
   * removed when {@code added} is false).
   */
  record Change(String id, boolean added, long atMicros, long doneMicros) {}

  /**
   * Adds what the callers saw: {@code observations} maps each caller to its picker's successive lists
   * ({@code micros}, {@code ids}).
   */
  @SuppressWarnings("unchecked")
  void add(List<Change> changes, Map<String, Object> observations) {
    for (Change change : changes) {
      long slowest = 0;
      for (Object seen : observations.values()) {
        long shown = -1;
        for (Map<String, Object> observation : (List<Map<String, Object>>) seen) {
          long micros = ((Number) observation.get("micros")).longValue();
          List<String> ids = (List<String>) observation.get("ids");
          if (micros >= change.atMicros() && ids.contains(change.id()) == change.added()) {
            shown = micros;
            break;
          }
        }
        if (shown < 0) {
          missed++;
          continue;
        }
        long latency = Math.max(0, shown - change.atMicros());
        perCallerMicros.add(latency);
        afterAckMicros.add(Math.max(0, shown - change.doneMicros()));
        slowest = Math.max(slowest, latency);
      }
      everyCallerMicros.add(slowest);
    }
  }

  /** The figures, in milliseconds. */
  Map<String, Object> summary() {
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("pairs", perCallerMicros.size());
    summary.put("missed", missed);
    summary.put("perCallerMs", percentiles(perCallerMicros));
    summary.put("allCallersPerChangeMs", percentiles(everyCallerMicros));
    summary.put("perCallerAfterAckMs", percentiles(afterAckMicros));
    return summary;
  }

  private static Map<String, Object> percentiles(List<Long> micros) {
    List<Long> sorted = new ArrayList<>(micros);
    Collections.sort(sorted);
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("p50", at(sorted, 0.50));
    p.put("p99", at(sorted, 0.99));
    p.put("max", sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1) / 1000.0);
    return p;
  }

  private static double at(List<Long> sorted, double quantile) {
    if (sorted.isEmpty()) {
      return 0;
    }
    int index = (int) Math.ceil(quantile * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index))) / 1000.0;
  }
}
