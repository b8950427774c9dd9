package io.meshwork.bench.harness;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The clients side by side: each round runs every client once, in its own JVM, and the order
 * rotates from round to round so that drift of the shared machine hits every client alike. Every
 * client gets the closed loop with its callers started from their own threads ("spread"); the
 * HTTP/1.1 limit and Meshwork also get it with every caller started from one thread, the mTLS pair
 * the connection set-up figure, and the HTTP/1.1 clients the open loop.
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
    for (int round = 0; round < plan.rounds(); round++) {
      for (int i = 0; i < kinds.size(); i++) {
        String kind = kinds.get((i + round) % kinds.size());
        List<String> phases = phases(kind);
        Map<String, Object> result = session.runClient(kind, "roundRobin", session.backend.plain,
            arguments(plan, phases), expected(plan, phases));
        rounds.get(kind).add(result);
        String what = "comparison " + kind + " round " + (round + 1);
        session.checks.completed(what, result, false,
            phases.stream().filter(phase -> !phase.equals("setup")).toArray(String[]::new));
        if (!kind.equals("armeria")) { // how Armeria spreads its work is its own choice: reported, not checked
          session.checks.loopsBusy(what + ": every event loop busy", result, "closed", plan.minLoopBalance());
        }
        if (phases.contains("oneThread")) {
          session.checks.loopsBusy(what + ": every event loop busy with calls started from one thread", result,
              "oneThread", plan.minLoopBalance());
        }
        if (phases.contains("setup")) {
          session.checks.setup(what + " connection set-up", result);
        }
        session.console.log("comparison round " + (round + 1) + "/" + plan.rounds() + " " + kind + ": "
            + summary(result));
      }
    }
    return new LinkedHashMap<>(rounds);
  }

  /** The phases {@code kind} runs, in order. */
  static List<String> phases(String kind) {
    return switch (kind) {
      case "limit", "meshwork" -> List.of("closed", "oneThread", "open");
      case "limit-h2", "meshwork-h2" -> List.of("closed");
      case "meshwork-mtls" -> List.of("closed", "open", "setup");
      // The plaintext baseline of the mTLS ratios: throughput and set-up only.
      case "meshwork-on-mesh-servers" -> List.of("closed", "setup");
      default -> List.of("closed", "open");
    };
  }

  private static List<String> arguments(Plan plan, List<String> phases) {
    List<String> args = new ArrayList<>(Session.closedArgs(plan));
    if (phases.contains("oneThread")) {
      args.addAll(List.of("--one-thread", plan.concurrency() + "," + plan.oneThreadWarmupMs() + ","
          + plan.closedMeasureMs() + "," + plan.closedMaxWarmupMs()));
    }
    if (phases.contains("open")) {
      args.addAll(Session.openArgs(plan.rate(), plan.openWarmupMs(), plan.openMeasureMs()));
    }
    if (phases.contains("setup")) {
      args.addAll(List.of("--setup", plan.setupWarmupCalls() + "," + plan.setupCalls()));
    }
    return args;
  }

  private static Duration expected(Plan plan, List<String> phases) {
    long ms = plan.closedMaxWarmupMs() + plan.closedMeasureMs();
    if (phases.contains("oneThread")) {
      ms += plan.closedMaxWarmupMs() + plan.closedMeasureMs();
    }
    if (phases.contains("open")) {
      ms += plan.openWarmupMs() + plan.openMeasureMs();
    }
    if (phases.contains("setup")) {
      ms += 20L * (plan.setupWarmupCalls() + plan.setupCalls()); // generous: a handshake takes a few ms
    }
    return Duration.ofMillis(ms);
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
    Map<String, Object> oneThread = (Map<String, Object>) result.get("oneThread");
    if (oneThread != null) {
      line.append(String.format(Locale.ROOT, "; from one thread %,.0f req/s, loops %.0f %% even",
          Checks.decimal(oneThread, "throughput"), 100 * Checks.decimal(oneThread, "loopBalance")));
    }
    Map<String, Object> setup = (Map<String, Object>) result.get("setup");
    if (setup != null) {
      line.append(String.format(Locale.ROOT, "; new connection + call p50 %.0f µs",
          Checks.decimal(setup, "p50")));
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
