package io.meshwork.bench.harness;

import io.meshwork.bench.client.PairedCpu;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The paired CPU comparisons ({@link PairedCpu}: telemetry on vs off, ten route rules vs none), each
 * in a client JVM of its own: the ratio of a feature's cost measured in alternating rounds, so a
 * machine whose speed drifts weighs on both sides of every pair.
 */
final class PairedFigures {

  private PairedFigures() {}

  static Map<String, Object> run(Session session) {
    Map<String, Object> figures = new LinkedHashMap<>();
    for (String comparison : PairedCpu.COMPARISONS) {
      String name = "paired " + comparison;
      session.console.log(name + ": " + session.plan.pairedRounds() + " rounds of " + session.plan.pairedCalls()
          + " calls a side");
      Map<String, Object> result = session.launcher.startJavaForResult("paired-" + comparison,
          List.of("--kind", "meshwork", "--paired", comparison + "," + session.plan.pairedRounds() + ","
              + session.plan.pairedCalls()), Duration.ofMinutes(10));
      Object paired = result.get("paired");
      if (result.containsKey("failure") || !(paired instanceof Map)) {
        session.checks.fail(name + ": " + result.getOrDefault("failure", "no result"));
        continue;
      }
      session.checks.passed(name);
      figures.put(comparison, paired);
      session.console.log(name + ": throughput ratios per pair " + ((Map<?, ?>) paired).get("ratios"));
    }
    return figures;
  }
}
