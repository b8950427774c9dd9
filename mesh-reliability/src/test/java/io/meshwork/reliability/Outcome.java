package io.meshwork.reliability;

import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What one fault did to the load: calls made, succeeded, failed (by exception type, or by status
 * for an error answer), hung (not ended within the deadline and its grace), and the time until
 * calls succeed again: from the fault's end (its start, for a fault that stays) to the end of the
 * last failed call, null when none failed.
 *
 * @param row the catalogue's row: its order, the fault and its floor
 * @param made calls started from the fault's start on (the warm-up's are not counted)
 * @param succeeded calls answered 2xx
 * @param failures failed calls by what they failed with
 * @param hung calls that did not end within the deadline plus the grace
 * @param recovery from the fault's end (or start) to the end of the last failed call, or null
 */
public record Outcome(Row row, long made, long succeeded, Map<String, Long> failures, long hung, Duration recovery) {

  /** Succeeded calls as a share of those made. */
  public double successRate() {
    return made == 0 ? 0 : (double) succeeded / made;
  }

  /** Whether the row holds: nothing hung, the success rate meets its floor, the recovery its bound. */
  public boolean holds() {
    return hung == 0 && made > 0 && successRate() >= row.floor() && recoveredInTime();
  }

  /** Whether the calls failed no longer than the row allows. */
  public boolean recoveredInTime() {
    return row.maxRecovery() == null || recovery == null || recovery.compareTo(row.maxRecovery()) <= 0;
  }

  /** One line of the markdown table. */
  public String tableLine() {
    String failed = failures.isEmpty() ? "0" : failures.entrySet().stream()
        .map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", "));
    String recovered = recovery == null ? "—" : recovery.toMillis() + " ms";
    return String.format("| %s | %d | %d | %s | %d | %s | %s | %s | %s |", row.fault(), made, succeeded, failed,
        hung, recovered, percent(successRate()), floor(), holds() ? "holds" : "**FAILS**");
  }

  private String floor() {
    String recovered = row.maxRecovery() == null ? "" : "recovered ≤ " + row.maxRecovery().toMillis() + " ms";
    if (row.floor() == 0) {
      return recovered;
    }
    return "≥ " + percent(row.floor()) + (recovered.isEmpty() ? "" : ", " + recovered);
  }

  private static String percent(double rate) {
    return rate == 1.0 ? "100%" : String.format("%.2f%%", Math.floor(rate * 10000) / 100);
  }
}
