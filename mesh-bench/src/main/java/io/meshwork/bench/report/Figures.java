package io.meshwork.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** Reads the figures of a run out of its JSON results: per client or scenario, across rounds. */
final class Figures {

  private final JsonNode root;

  Figures(JsonNode root) {
    this.root = root;
  }

  JsonNode root() {
    return root;
  }

  /** The clients of the comparison that ran, in the order they are reported. */
  List<String> kinds() {
    List<String> kinds = new ArrayList<>();
    root.path("comparison").fieldNames().forEachRemaining(kinds::add);
    return kinds;
  }

  /** {@code metric} of the {@code phase} (closed or open) of {@code kind}, over the rounds. */
  Stats comparison(String kind, String phase, String metric) {
    return over(root.path("comparison").path(kind), round -> number(round.path(phase).path(metric)));
  }

  /** Throughput of {@code kind} over that of {@code base}, round by round (both ran in each round). */
  Stats ratio(String kind, String base, String phase, String metric) {
    JsonNode a = root.path("comparison").path(kind);
    JsonNode b = root.path("comparison").path(base);
    List<Double> values = new ArrayList<>();
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      values.add(number(a.get(i).path(phase).path(metric)) / number(b.get(i).path(phase).path(metric)));
    }
    return Stats.of(values);
  }

  /** {@code metric} of {@code kind} minus that of {@code base}, round by round. */
  Stats difference(String kind, String base, String phase, String metric) {
    JsonNode a = root.path("comparison").path(kind);
    JsonNode b = root.path("comparison").path(base);
    List<Double> values = new ArrayList<>();
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      values.add(number(a.get(i).path(phase).path(metric)) - number(b.get(i).path(phase).path(metric)));
    }
    return Stats.of(values);
  }

  /** Any value of {@code kind} computed from each of its rounds. */
  Stats comparison(String kind, ToDoubleFunction<JsonNode> perRound) {
    return over(root.path("comparison").path(kind), perRound);
  }

  /** Whether the JIT of {@code kind} was still compiling at the end of some round's warm-up. */
  boolean neverSettled(String kind) {
    for (JsonNode round : root.path("comparison").path(kind)) {
      if (round.path("closed").path("jitSettled").isBoolean() && !round.path("closed").path("jitSettled").asBoolean()) {
        return true;
      }
    }
    return false;
  }

  /** The client {@code kind} is measured against: the plain client of its protocol. */
  static String baseOf(String kind) {
    return kind.endsWith("-h2") ? "limit-h2" : "limit";
  }

  /** Why {@code kind} has no figures (failure or not yet available), or null. */
  String missing(String kind) {
    for (JsonNode round : root.path("comparison").path(kind)) {
      if (round.has("unavailable")) {
        return "not yet available: " + round.path("unavailable").asText();
      }
      if (round.has("failure")) {
        return "failed: " + round.path("failure").asText();
      }
    }
    return null;
  }

  /** The open-phase {@code metric} of one configuration of a scenario, over the rounds. */
  Stats scenario(String scenario, String config, String metric) {
    return over(root.path("scenarios").path(scenario).path(config), round -> number(round.path("open").path(metric)));
  }

  /** Any value of a scenario configuration computed from each round. */
  Stats scenario(String scenario, String config, ToDoubleFunction<JsonNode> perRound) {
    return over(root.path("scenarios").path(scenario).path(config), perRound);
  }

  /** The configurations a scenario ran. */
  List<String> configs(String scenario) {
    List<String> configs = new ArrayList<>();
    root.path("scenarios").path(scenario).fieldNames().forEachRemaining(configs::add);
    return configs;
  }

  /** The rounds of the total-outage scenario. */
  JsonNode outage() {
    return root.path("scenarios").path("allFailing");
  }

  /** One micro-benchmark's result, or a missing node. */
  JsonNode micro(String benchmark, String param, String value) {
    for (JsonNode result : root.path("micro")) {
      if (result.path("benchmark").asText().equals(benchmark)
          && (param == null || result.path("params").path(param).asText().equals(value))) {
        return result;
      }
    }
    return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }

  static Stats over(JsonNode rounds, ToDoubleFunction<JsonNode> perRound) {
    List<Double> values = new ArrayList<>();
    for (JsonNode round : rounds) {
      values.add(perRound.applyAsDouble(round));
    }
    return Stats.of(values);
  }

  static double number(JsonNode node) {
    return node.isNumber() ? node.asDouble() : Double.NaN;
  }
}
