package io.meshwork.bench.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Runs the JMH micro-benchmarks in a child JVM and reads back their JSON results. */
final class Micro {

  private Micro() {}

  /**
   * Runs {@code includes} with {@code jmhArgs}; one map per benchmark and parameter set. JMH ending
   * without results (a benchmark failed, or the timeout struck) fails the run through {@code checks}.
   */
  static List<Map<String, Object>> run(Launcher launcher, List<String> includes, List<String> jmhArgs,
      Duration timeout, Consumer<String> progress, Checks checks) {
    Path json = launcher.logDir.resolve("jmh.json");
    List<String> args = new ArrayList<>(includes);
    args.addAll(jmhArgs);
    args.addAll(List.of("-rf", "json", "-rff", json.toString(), "-foe", "true"));
    List<String> command = new ArrayList<>(List.of(launcher.javaPath(), "-cp", launcher.classPath(),
        "org.openjdk.jmh.Main"));
    command.addAll(args);
    ChildProcess jmh = ChildProcess.start("jmh", command, launcher.logDir, progress, line -> {
      if (line.startsWith("# Benchmark: ") || line.startsWith("# Parameters: ")) {
        progress.accept("jmh " + line.substring(2));
      }
    });
    try {
      jmh.awaitExit(timeout);
      List<Map<String, Object>> results = parse(json);
      if (results.isEmpty()) {
        checks.fail("JMH ended without results: see " + launcher.logDir.resolve("jmh.log"));
      } else {
        checks.passed("JMH: " + results.size() + " benchmarks");
      }
      return results;
    } finally {
      jmh.close();
    }
  }

  private static List<Map<String, Object>> parse(Path json) {
    List<Map<String, Object>> results = new ArrayList<>();
    try {
      if (!Files.exists(json)) {
        return results;
      }
      for (JsonNode run : new ObjectMapper().readTree(json.toFile())) {
        Map<String, Object> result = new LinkedHashMap<>();
        String benchmark = run.path("benchmark").asText();
        result.put("benchmark", benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1));
        Map<String, String> params = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = run.path("params").fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> param = it.next();
          params.put(param.getKey(), param.getValue().asText());
        }
        result.put("params", params);
        JsonNode primary = run.path("primaryMetric");
        result.put("score", primary.path("score").asDouble());
        result.put("error", primary.path("scoreError").asDouble());
        result.put("unit", primary.path("scoreUnit").asText());
        JsonNode secondary = run.path("secondaryMetrics");
        JsonNode alloc = secondary.has("gc.alloc.rate.norm") ? secondary.path("gc.alloc.rate.norm")
            : secondary.path("·gc.alloc.rate.norm");
        result.put("bytesPerOp", alloc.isMissingNode() ? null : alloc.path("score").asDouble());
        result.put("bytesPerOpError", alloc.isMissingNode() ? null : alloc.path("scoreError").asDouble());
        result.put("forks", run.path("forks").asInt());
        result.put("iterations", run.path("measurementIterations").asInt());
        result.put("iterationTime", run.path("measurementTime").asText());
        results.add(result);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + json, e);
    }
    return results;
  }
}
