package io.meshwork.bench.report;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The targets measured by JMH. A score is within its target only with its error: the upper end of
 * its interval for a cost, the lower end for a rate; an interval JMH could not compute (one
 * iteration) counts as unbounded.
 */
final class MicroTargets {

  /** What the chain may allocate per call beyond the request and the response. */
  static final double CHAIN_BYTES = 150;

  private MicroTargets() {}

  /** The score plus its error: the least favourable end of a cost's interval. */
  static double upper(JsonNode result) {
    double error = result.path("error").asDouble(Double.NaN);
    return Double.isNaN(error) ? Double.POSITIVE_INFINITY : result.path("score").asDouble() + error;
  }

  /** The score minus its error: the least favourable end of a rate's interval. */
  static double lower(JsonNode result) {
    double error = result.path("error").asDouble(Double.NaN);
    return Double.isNaN(error) ? Double.NEGATIVE_INFINITY : result.path("score").asDouble() - error;
  }

  /** "score ± error unit". */
  static String scoreWithError(JsonNode result, String unit) {
    return Text.format("%,.1f ± %,.1f %s", result.path("score").asDouble(), result.path("error").asDouble(Double.NaN),
        unit);
  }

  /**
   * The bytes the call chain allocates per call: {@code mesh.call} through the public API minus the
   * same request sent straight through the in-memory transport, both measured with the GC profiler.
   */
  static Targets.Row chainAllocation(Figures f) {
    JsonNode call = f.micro("CallAllocationBenchmark.meshCall", null, null);
    JsonNode transport = f.micro("CallAllocationBenchmark.transportOnly", null, null);
    String figure = "bytes the call chain allocates per call (JMH, GC profiler, in-memory transport)";
    if (call.isMissingNode() || transport.isMissingNode() || !call.path("bytesPerOp").isNumber()) {
      return new Targets.Row(figure, "≤ 150 B", "—", "not measured");
    }
    double chain = call.path("bytesPerOp").asDouble() - transport.path("bytesPerOp").asDouble();
    double error = call.path("bytesPerOpError").asDouble(Double.NaN) + transport.path("bytesPerOpError")
        .asDouble(Double.NaN);
    String measured = Text.format("%.0f ± %.0f B (whole call %.0f B, outside the chain %.0f B)", chain, error,
        call.path("bytesPerOp").asDouble(), transport.path("bytesPerOp").asDouble());
    return new Targets.Row(figure, "≤ 150 B", measured,
        Targets.verdict(!Double.isNaN(error) && chain + error <= CHAIN_BYTES, chain <= CHAIN_BYTES));
  }

  /** One {@code Mesh.apply} of 100 services and 1,000 routes while calls are in flight. */
  static Targets.Row applyConfig(Figures f) {
    JsonNode apply = f.micro("ApplyConfigBenchmark.apply100Services1000Routes", null, null);
    String figure = "Mesh.apply of 100 services and 1,000 routes, calls in flight (none may fail), score + error";
    if (apply.isMissingNode()) {
      return new Targets.Row(figure, "≤ 50 ms", "—", "not measured");
    }
    return new Targets.Row(figure, "≤ 50 ms", scoreWithError(apply, "ms"),
        Targets.verdict(upper(apply) <= 50, apply.path("score").asDouble() <= 50));
  }

  /** ECDSA P-256 certificates issued per second. */
  static Targets.Row issuance(Figures f) {
    JsonNode ecdsa = f.micro("CertificateBenchmark.issue", "algorithm", "EC_P256");
    String figure = "ECDSA P-256 certificate issuance, score − error";
    if (ecdsa.isMissingNode()) {
      return new Targets.Row(figure, "≥ 2,000 / s", "—", "not measured");
    }
    return new Targets.Row(figure, "≥ 2,000 / s", scoreWithError(ecdsa, "/ s"),
        Targets.verdict(lower(ecdsa) >= 2000, ecdsa.path("score").asDouble() >= 2000));
  }

  /** Route matching with 10 rules, for a request that walks the nine non-regex rules to the catch-all. */
  static Targets.Row routeMatch(Figures f) {
    JsonNode match = f.micro("RouteBenchmark.matchTenRulesNoRegex", null, null);
    String figure = "route matching, 10 rules, the non-regex ones walked (JMH), score + error";
    if (match.isMissingNode()) {
      return new Targets.Row(figure, "≤ 150 ns, 0 B/op", "—", "not measured");
    }
    double bytes = match.path("bytesPerOp").asDouble(0);
    return new Targets.Row(figure, "≤ 150 ns, 0 B/op", scoreWithError(match, "ns") + Text.format(", %.1f B/op", bytes),
        Targets.verdict(upper(match) <= 150 && bytes < 0.5, match.path("score").asDouble() <= 150 && bytes < 0.5));
  }

}
