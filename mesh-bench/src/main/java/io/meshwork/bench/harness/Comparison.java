package io.meshwork.bench.harness;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The five clients side by side on the same backends: each round runs every client once, in its
 * own JVM, closed loop then open loop, and the order rotates from round to round so that drift of
 * the shared machine hits every client alike.
 */
final class Comparison {

  private Comparison() {}

  /** Per client, the list of its rounds' results. */
  static Map<String, Object> run(Session session) {
    Plan plan = session.plan;
    List<String> kinds = session.comparedKinds();
    Map<String, List<Map<String, Object>>> rounds = new LinkedHashMap<>();
    for (String kind : kinds) {
      rounds.put(kind, new ArrayList<>());
    }
    List<String> phaseArgs = new ArrayList<>(Session.closedArgs(plan));
    phaseArgs.addAll(Session.openArgs(plan.rate(), plan.openWarmupMs(), plan.openMeasureMs()));
    Duration expected = Duration.ofMillis(plan.closedMaxWarmupMs() + plan.closedMeasureMs() + plan.openWarmupMs()
        + plan.openMeasureMs());
    for (int round = 0; round < plan.rounds(); round++) {
      for (int i = 0; i < kinds.size(); i++) {
        String kind = kinds.get((i + round) % kinds.size());
        // The plaintext baseline of the mTLS ratio needs its throughput only.
        boolean closedOnly = kind.equals("meshwork-on-mesh-servers");
        Map<String, Object> result = session.runClient(kind, "roundRobin", session.backend.plain,
            closedOnly ? Session.closedArgs(plan) : phaseArgs, expected);
        rounds.get(kind).add(result);
        if (closedOnly) {
          session.checks.completed("comparison " + kind + " round " + (round + 1), result, false, "closed");
        } else {
          session.checks.completed("comparison " + kind + " round " + (round + 1), result, false, "closed", "open");
        }
        session.console.log("comparison round " + (round + 1) + "/" + plan.rounds() + " " + kind + ": "
            + summary(result));
      }
    }
    return new LinkedHashMap<>(rounds);
  }

  @SuppressWarnings("unchecked")
  static String summary(Map<String, Object> result) {
    if (result.containsKey("failure")) {
      return "FAILED " + result.get("failure");
    }
    if (result.containsKey("unavailable")) {
      return "not yet available: " + result.get("unavailable");
    }
    StringBuilder line = new StringBuilder();
    Map<String, Object> closed = (Map<String, Object>) result.get("closed");
    if (closed != null) {
      line.append(String.format(Locale.ROOT, "%,.0f req/s, %.1f µs CPU/req", Checks.decimal(closed, "throughput"),
          Checks.decimal(closed, "cpuMicrosPerRequest")));
    }
    Map<String, Object> open = (Map<String, Object>) result.get("open");
    if (open != null) {
      line.append(line.length() > 0 ? "; " : "").append(String.format(Locale.ROOT,
          "open loop %,.0f req/s: p50 %.0f µs, p99 %.0f µs, %d errors", Checks.decimal(open, "throughput"),
          Checks.decimal(open, "p50"), Checks.decimal(open, "p99"), Checks.number(open, "errors")));
    }
    return line.toString();
  }
}
