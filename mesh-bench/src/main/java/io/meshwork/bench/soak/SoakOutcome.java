package io.meshwork.bench.soak;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one soak measured, and the rule that passes or fails it: no call failed or stayed open, no
 * leak was reported in the client or a server, the heap after GC stayed flat ({@link HeapTrend}),
 * and the rotations and restarts the soak promised did happen (a soak that rotated nothing proves
 * nothing about rotation).
 *
 * @param startedAt when the soak started (ISO-8601)
 * @param commit the commit measured, {@code -dirty} when the work tree had changes
 * @param seconds how long the load ran
 * @param maxPerSecond the closed-loop maximum measured before the soak
 * @param ratePerSecond the soak's open-loop rate
 * @param calls calls made
 * @param errors failed calls by exception type or {@code HTTP <status>}
 * @param open calls still open when the run ended (each past its deadline)
 * @param clientLeaks Netty leak reports in the client JVM
 * @param serverLeaks Netty leak reports in the server JVMs' logs
 * @param heap the heap after GC of the client JVM
 * @param clientRotations certificate rotations of the client's mesh seen during the load
 * @param serverRotations certificate rotations the servers logged
 * @param expectedRotations the fewest client rotations the duration guarantees
 * @param restarts server restarts done
 * @param plannedRestarts server restarts planned
 * @param failedAttempts attempts that failed by type, each hidden from its call by a retry (reported, not judged)
 */
record SoakOutcome(String startedAt, String commit, double seconds, double maxPerSecond, double ratePerSecond,
    long calls, Map<String, Long> errors, long open, long clientLeaks, long serverLeaks, HeapTrend heap,
    int clientRotations, int serverRotations, int expectedRotations, int restarts, int plannedRestarts,
    Map<String, Long> failedAttempts) {

  SoakOutcome {
    errors = Map.copyOf(errors);
    failedAttempts = Map.copyOf(failedAttempts);
  }

  /** Failed calls of every type. */
  long errorCount() {
    return errors.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Why the soak failed; empty when it passed. */
  List<String> failures() {
    List<String> failures = new ArrayList<>();
    if (calls == 0) {
      failures.add("calls: 0 (expected: the soak's rate times its duration)");
    }
    if (errorCount() > 0) {
      failures.add("errors: " + errorCount() + " " + new TreeMap<>(errors) + " (expected: 0)");
    }
    if (open > 0) {
      failures.add("calls still open at the end: " + open + " (expected: 0, every call ends within its deadline)");
    }
    if (clientLeaks + serverLeaks > 0) {
      failures.add("leak reports: " + clientLeaks + " in the client, " + serverLeaks + " in the servers (expected: 0)");
    }
    String heapProblem = heap.problem();
    if (heapProblem != null) {
      failures.add(heapProblem);
    }
    if (clientRotations < expectedRotations) {
      failures.add("client certificate rotations: " + clientRotations + " (expected: >= " + expectedRotations + ")");
    }
    if (restarts < plannedRestarts) {
      failures.add("server restarts: " + restarts + " (expected: " + plannedRestarts + ")");
    }
    return failures;
  }

  /** The outcome as the results file holds it. */
  Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("startedAt", startedAt);
    json.put("commit", commit);
    json.put("seconds", Math.round(seconds));
    json.put("maxPerSecond", Math.round(maxPerSecond));
    json.put("ratePerSecond", Math.round(ratePerSecond));
    json.put("calls", calls);
    json.put("errors", new TreeMap<>(errors));
    json.put("open", open);
    json.put("clientLeaks", clientLeaks);
    json.put("serverLeaks", serverLeaks);
    json.put("heapAfterGcSamples", heap.samples());
    json.put("heapSlopeBytesPerMinute", Math.round(heap.slopeBytesPerMinute()));
    json.put("clientRotations", clientRotations);
    json.put("serverRotations", serverRotations);
    json.put("restarts", restarts);
    json.put("failedAttempts", new TreeMap<>(failedAttempts));
    json.put("failures", failures());
    json.put("verdict", failures().isEmpty() ? "pass" : "fail");
    return json;
  }
}
