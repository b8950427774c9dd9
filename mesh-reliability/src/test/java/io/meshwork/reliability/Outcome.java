package io.meshwork.reliability;

import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What one fault did to the load: calls made, succeeded, failed (by exception type, or by status
 * for an error answer), hung (not ended within the deadline and its grace), and the time from the
 * fault's start until the last failed call ended (null when none failed).
 *
 * @param row the catalogue's row: its order, the fault and its floor
 * @param made calls started
 * @param succeeded calls answered 2xx
 * @param failures failed calls by what they failed with
 * @param hung calls that did not end within the deadline plus the grace
 * @param recovery from the fault's start to the end of the last failed call, or null
 */
record Outcome(Row row, long made, long succeeded, Map<String, Long> failures, long hung, Duration recovery) {

  double successRate() {
    return made == 0 ? 0 : (double) succeeded / made;
  }

  long failed() {
    return failures.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Whether the row holds: nothing hung, and the success rate meets its floor. */
  boolean holds() {
    return hung == 0 && made > 0 && successRate() >= row.floor();
  }

  /** One line of the markdown table. */
  String tableLine() {
    String failed = failures.isEmpty() ? "0" : failures.entrySet().stream()
        .map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", "));
    String recovered = recovery == null ? "—" : recovery.toMillis() + " ms";
    return String.format("| %s | %d | %d | %s | %d | %s | %s | %s | %s |", row.fault(), made, succeeded, failed,
        hung, recovered, percent(successRate()), "≥ " + percent(row.floor()), holds() ? "holds" : "**FAILS**");
  }

  private static String percent(double rate) {
    return rate == 1.0 ? "100%" : String.format("%.2f%%", Math.floor(rate * 10000) / 100);
  }
}
