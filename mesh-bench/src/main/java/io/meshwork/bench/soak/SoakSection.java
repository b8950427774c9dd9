package io.meshwork.bench.soak;

import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

/**
 * The soak's result as docs/reliability.md shows it: a table between two markers inside the
 * "Soak" section. A later soak replaces the table; a document without the markers gets the section
 * appended, so the explanation around the table is written once, by hand.
 */
final class SoakSection {

  static final String BEGIN = "<!-- soak:begin -->";
  static final String END = "<!-- soak:end -->";

  private SoakSection() {}

  /** {@code document} with its soak result replaced by {@code outcome}'s (appended when it has none). */
  static String update(String document, SoakOutcome outcome, String machine) {
    String table = BEGIN + "\n" + table(outcome, machine) + END;
    int begin = document.indexOf(BEGIN);
    int end = document.indexOf(END);
    if (begin >= 0 && end > begin) {
      return document.substring(0, begin) + table + document.substring(end + END.length());
    }
    String separator = document.isEmpty() || document.endsWith("\n\n") ? "" : document.endsWith("\n") ? "\n" : "\n\n";
    return document + separator + "## Soak\n\nThe last soak (`mesh-bench/run.sh --soak`):\n\n" + table + "\n";
  }

  /** The result table, one row per figure. */
  static String table(SoakOutcome o, String machine) {
    List<String> failures = o.failures();
    StringBuilder out = new StringBuilder();
    out.append("| | |\n|---|---|\n");
    row(out, "date", o.startedAt());
    row(out, "commit", "`" + o.commit() + "`");
    row(out, "machine", machine);
    row(out, "duration", String.format(Locale.ROOT, "%.1f min of load", o.seconds() / 60));
    row(out, "rate", String.format(Locale.ROOT, "%,.0f calls/s open loop (80%% of the %,.0f calls/s measured closed-loop)",
        o.ratePerSecond(), o.maxPerSecond()));
    row(out, "calls", String.format(Locale.ROOT, "%,d", o.calls()));
    row(out, "errors", o.errorCount() == 0 ? "0" : o.errorCount() + " " + new TreeMap<>(o.errors()));
    row(out, "calls left open", Long.toString(o.open()));
    row(out, "leak reports", o.clientLeaks() + " in the client, " + o.serverLeaks() + " in the servers");
    row(out, "heap after GC", String.format(Locale.ROOT, "%s samples, %.0f to %.0f MiB, slope %,.0f bytes/min (flat: < %,.0f)",
        o.heap().samples().size(), extreme(o, true) / 1048576, extreme(o, false) / 1048576,
        Math.abs(o.heap().slopeBytesPerMinute()) < 0.5 ? 0 : o.heap().slopeBytesPerMinute(), // never "-0"
        HeapTrend.FLAT_BYTES_PER_MINUTE));
    row(out, "certificate rotations", o.clientRotations() + " in the client, " + o.serverRotations() + " in the servers");
    row(out, "server restarts", Integer.toString(o.restarts()));
    row(out, "failed attempts (retried)", o.failedAttempts().isEmpty() ? "0"
        : o.failedAttempts().values().stream().mapToLong(Long::longValue).sum() + " " + new TreeMap<>(o.failedAttempts()));
    row(out, "verdict", failures.isEmpty() ? "**pass**" : "**fail**: " + String.join("; ", failures));
    return out.toString();
  }

  private static double extreme(SoakOutcome o, boolean min) {
    return o.heap().samples().stream().mapToDouble(s -> s[1])
        .reduce(min ? Math::min : Math::max).orElse(Double.NaN);
  }

  private static void row(StringBuilder out, String name, String value) {
    out.append("| ").append(name).append(" | ").append(value.replace("|", "\\|")).append(" |\n");
  }
}
