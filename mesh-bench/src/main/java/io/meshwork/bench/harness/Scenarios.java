package io.meshwork.bench.harness;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Meshwork under trouble, per balancer: one of four instances 20 ms slower (p99 at a fixed rate),
 * one of four failing every call (success rate), and all failing (retry amplification under the
 * retry budget). The backend is put back to healthy after each.
 */
final class Scenarios {

  /** The instance made slow or failing. */
  private static final int VICTIM = 3;

  private Scenarios() {}

  static Map<String, Object> run(Session session) {
    Map<String, Object> scenarios = new LinkedHashMap<>();
    Backend backend = session.backend;
    try {
      backend.set(VICTIM, 20, false);
      scenarios.put("slowInstance", slowInstance(session));
      backend.reset();
      backend.set(VICTIM, 0, true);
      scenarios.put("oneFailing", oneFailing(session));
      backend.reset();
      for (int i = 0; i < backend.plain.size(); i++) {
        backend.set(i, 0, true);
      }
      scenarios.put("allFailing", allFailing(session));
    } finally {
      backend.reset();
    }
    return scenarios;
  }

  private static Map<String, Object> slowInstance(Session session) {
    Plan plan = session.plan;
    Map<String, List<Map<String, Object>>> rounds = new LinkedHashMap<>();
    List<String> configs = plan.slowConfigs();
    for (String config : configs) {
      rounds.put(config, new ArrayList<>());
    }
    List<String> open = Session.openArgs(plan.rate(), plan.scenarioWarmupMs(), plan.scenarioMeasureMs());
    List<Integer> fast = session.backend.plain.subList(0, VICTIM);
    for (int round = 0; round < plan.rounds(); round++) {
      for (int i = 0; i < configs.size(); i++) {
        String config = configs.get((i + round) % configs.size());
        // A closed-loop JIT warm-up on a throwaway client first: cold, Armeria cannot even keep up with
        // the rate (its C2 compiler is still busy ten seconds in), so it gets a longer one.
        int prewarm = config.equals("armeria") ? plan.armeriaPrewarmMs() : plan.prewarmMs();
        List<String> phase = new ArrayList<>(List.of("--prewarm", Integer.toString(prewarm), "--count-attempts", "y"));
        phase.addAll(open);
        Duration expected = Duration.ofMillis(prewarm + plan.scenarioWarmupMs() + plan.scenarioMeasureMs());
        Map<String, Object> result = switch (config) {
          case "armeria" -> session.runClient("armeria", "roundRobin", session.backend.plain, phase, expected);
          case "threeFast" -> session.runClient("meshwork", "peakEwma", fast, phase, expected);
          default -> session.runClient("meshwork", config, session.backend.plain, phase, expected);
        };
        result.put("slowPort", session.backend.plain.get(VICTIM));
        rounds.get(config).add(result);
        session.checks.completed("slow instance " + config, result, false, "open");
        session.console.log("slow instance round " + (round + 1) + "/" + plan.rounds() + " " + config + ": "
            + Comparison.summary(result));
      }
    }
    return new LinkedHashMap<>(rounds);
  }

  private static Map<String, Object> oneFailing(Session session) {
    Plan plan = session.plan;
    Map<String, List<Map<String, Object>>> rounds = new LinkedHashMap<>();
    List<String> balancers = plan.failingBalancers();
    for (String balancer : balancers) {
      rounds.put(balancer, new ArrayList<>());
    }
    int rate = plan.rate() / 2;
    // A JIT warm-up on a throwaway client first, as in the slow-instance scenario: cold, the client
    // spent over a millisecond of CPU per call in the window and ran behind, which the attempts to
    // the failing instance then measured instead of the mesh's ejection.
    List<String> phase = new ArrayList<>(List.of("--prewarm", Integer.toString(plan.prewarmMs()),
        "--count-attempts", "y"));
    phase.addAll(Session.openArgs(rate, plan.failingWarmupMs(), plan.failingMeasureMs()));
    Duration expected = Duration.ofMillis(plan.prewarmMs() + plan.failingWarmupMs() + plan.failingMeasureMs());
    for (int round = 0; round < plan.rounds(); round++) {
      for (int i = 0; i < balancers.size(); i++) {
        String balancer = balancers.get((i + round) % balancers.size());
        long before = session.backend.received();
        Map<String, Object> result = session.runClient("meshwork", balancer, session.backend.plain, phase, expected);
        result.put("backendReceived", session.backend.received() - before);
        rounds.get(balancer).add(result);
        session.checks.completed("one failing " + balancer, result, true, "open");
        session.console.log("one failing round " + (round + 1) + "/" + plan.rounds() + " " + balancer + ": "
            + successRate(result));
      }
    }
    return new LinkedHashMap<>(rounds);
  }

  private static Map<String, Object> allFailing(Session session) {
    Plan plan = session.plan;
    List<Map<String, Object>> rounds = new ArrayList<>();
    // No warm-up: every attempt from the mesh's first call counts, as the budget's bound does.
    List<String> phase = new ArrayList<>(List.of("--count-attempts", "y"));
    phase.addAll(Session.openArgs(plan.outageRate(), 0, plan.outageMs()));
    for (int round = 0; round < plan.rounds(); round++) {
      long before = session.backend.received();
      Map<String, Object> result = session.runClient("meshwork", "peakEwma", session.backend.plain, phase,
          Duration.ofMillis(plan.outageMs()));
      result.put("backendReceived", session.backend.received() - before);
      rounds.add(result);
      session.checks.completed("all failing", result, true, "open");
      session.console.log("all failing round " + (round + 1) + "/" + plan.rounds() + ": "
          + amplification(result));
    }
    Map<String, Object> outage = new LinkedHashMap<>();
    outage.put("rate", plan.outageRate());
    outage.put("seconds", plan.outageMs() / 1000.0);
    outage.put("rounds", rounds);
    return outage;
  }

  @SuppressWarnings("unchecked")
  private static String successRate(Map<String, Object> result) {
    Map<String, Object> open = (Map<String, Object>) result.get("open");
    if (open == null) {
      return Comparison.summary(result);
    }
    return String.format(Locale.ROOT, "%.2f %% of %d calls succeeded, %d attempts on the wire",
        100.0 * Checks.number(open, "ok") / Math.max(1, Checks.number(open, "requests")),
        Checks.number(open, "requests"), Checks.number(result, "backendReceived"));
  }

  @SuppressWarnings("unchecked")
  private static String amplification(Map<String, Object> result) {
    Map<String, Object> open = (Map<String, Object>) result.get("open");
    if (open == null) {
      return Comparison.summary(result);
    }
    long calls = Checks.number(open, "requests");
    return String.format(Locale.ROOT, "%d calls, %d attempts on the wire (%.2f per call)", calls,
        Checks.number(result, "backendReceived"),
        (double) Checks.number(result, "backendReceived") / Math.max(1, calls));
  }
}
