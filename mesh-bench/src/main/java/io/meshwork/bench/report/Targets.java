package io.meshwork.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** The targets, each with what this run measured and whether it was met. */
final class Targets {

  /**
   * One target.
   *
   * @param figure what is measured
   * @param target the target
   * @param measured what this run measured
   * @param verdict met, missed, or why it was not measured
   */
  record Row(String figure, String target, String measured, String verdict) {}

  private Targets() {}

  static List<Row> evaluate(Figures f) {
    List<Row> rows = new ArrayList<>();
    Stats throughput = f.ratio("meshwork", "limit", "closed", "throughput");
    rows.add(row("Meshwork plaintext max throughput vs the plain client", "≥ 0.85×",
        Text.spread(throughput, "%.2f×"), throughput, v -> v >= 0.85));
    Stats cpu = f.difference("meshwork", "limit", "closed", "cpuMicrosPerRequest");
    rows.add(row("added client CPU per request over the plain client", "≤ 4 µs", Text.spread(cpu, "%.1f µs"), cpu,
        v -> v <= 4));
    Stats p50 = f.difference("meshwork", "limit", "open", "p50");
    rows.add(row("added p50 at a fixed " + rate(f) + " req/s", "≤ 10 µs", Text.spread(p50, "%.0f µs"), p50,
        v -> v <= 10));
    Stats slow = f.scenario("slowInstance", "peakEwma", "p99");
    rows.add(row("p99 at " + rate(f) + " req/s with one of 4 instances +20 ms (peak-EWMA)", "≤ 2 ms",
        Text.latency(slow), slow, v -> v <= 2000));
    String mtlsMissing = f.missing("meshwork-mtls");
    if (mtlsMissing != null || !f.root().path("mtls").path("available").asBoolean()) {
      rows.add(new Row("mTLS max throughput vs plaintext", "≥ 0.85×", "—", "not yet available: "
          + f.root().path("mtls").path("reason").asText(mtlsMissing)));
    } else {
      Stats mtls = f.ratio("meshwork-mtls", "meshwork-on-mesh-servers", "closed", "throughput");
      rows.add(row("mTLS max throughput vs plaintext (both to Meshwork servers)", "≥ 0.85×",
          Text.spread(mtls, "%.2f×"), mtls, v -> v >= 0.85));
    }
    rows.add(outage(f));
    JsonNode heap = f.root().path("heap").path("meshwork").path("heap");
    double heapMb = heap.path("heapDeltaBytes").asDouble(Double.NaN) / 1e6;
    rows.add(row("client heap, " + heap.path("services").asInt() + " services × " + heap.path("instances").asInt()
        + " instances", "≤ 10 MB", Double.isNaN(heapMb) ? "—" : Text.format("%.1f MB", heapMb),
        Stats.of(List.of(heapMb)), v -> v <= 10));
    rows.add(pick(f));
    JsonNode breaker = f.micro("BreakerBenchmark.acquireAndRecordSuccess", null, null);
    rows.add(micro("breaker acquire + record (JMH)", "≤ 50 ns, 0 B/op", breaker, 50));
    JsonNode ecdsa = f.micro("CertificateBenchmark.issue", "algorithm", "EC_P256");
    double issued = ecdsa.path("score").asDouble(Double.NaN);
    rows.add(row("ECDSA P-256 certificate issuance", "≥ 2,000 / s",
        Double.isNaN(issued) ? "—" : Text.format("%,.0f / s", issued), Stats.of(List.of(issued)), v -> v >= 2000));
    return rows;
  }

  private static Row outage(Figures f) {
    JsonNode outage = f.outage();
    List<Double> perCall = new ArrayList<>();
    List<Double> bounds = new ArrayList<>();
    double seconds = outage.path("seconds").asDouble();
    for (JsonNode round : outage.path("rounds")) {
      double calls = round.path("open").path("requests").asDouble(Double.NaN);
      double attempts = round.path("backendReceived").asDouble(Double.NaN);
      perCall.add(attempts / calls);
      bounds.add(bound(calls, seconds) / calls);
    }
    Stats amplification = Stats.of(perCall);
    Stats bound = Stats.of(bounds);
    String measured = Text.spread(amplification, "%.2f") + " attempts per call (bound " + Text.median(bound, "%.2f")
        + ")";
    boolean present = amplification.present() && bound.present();
    return new Row("retry amplification under total outage", "≤ 1.2× requests + budget minimum", measured,
        !present ? "not measured" : amplification.max() <= bound.median() ? "met" : "**missed**");
  }

  /** The retry budget's bound on attempts: calls x 1.2 plus 10 retries a second over at least its 10 s ttl. */
  static double bound(double calls, double seconds) {
    return calls * 1.2 + 10 * Math.max(10, seconds);
  }

  private static Row pick(Figures f) {
    double worst = Double.NaN;
    double worstBytes = Double.NaN;
    String worstName = "";
    for (JsonNode result : f.root().path("micro")) {
      if (result.path("benchmark").asText().equals("PickBenchmark.pickAndRecord")
          && result.path("params").path("instances").asText().equals("1000")) {
        double score = result.path("score").asDouble();
        if (Double.isNaN(worst) || score > worst) {
          worst = score;
          worstName = result.path("params").path("balancer").asText();
        }
        double bytes = result.path("bytesPerOp").asDouble(0);
        worstBytes = Double.isNaN(worstBytes) ? bytes : Math.max(worstBytes, bytes);
      }
    }
    if (Double.isNaN(worst)) {
      return new Row("pick among 1,000 instances (JMH)", "≤ 100 ns, 0 B/op", "—", "not measured");
    }
    boolean met = worst <= 100 && worstBytes < 0.5;
    return new Row("pick among 1,000 instances (JMH), slowest balancer", "≤ 100 ns, 0 B/op",
        Text.format("%.0f ns (%s), ≤ %.1f B/op", worst, worstName, worstBytes), met ? "met" : "**missed**");
  }

  private static Row micro(String figure, String target, JsonNode result, double maxNanos) {
    if (result.isMissingNode()) {
      return new Row(figure, target, "—", "not measured");
    }
    double score = result.path("score").asDouble();
    double bytes = result.path("bytesPerOp").asDouble(0);
    return new Row(figure, target, Text.format("%.1f ns, %.1f B/op", score, bytes),
        score <= maxNanos && bytes < 0.5 ? "met" : "**missed**");
  }

  private static Row row(String figure, String target, String measured, Stats stats,
      java.util.function.DoublePredicate met) {
    if (!stats.present()) {
      return new Row(figure, target, measured, "not measured");
    }
    return new Row(figure, target, measured, met.test(stats.median()) ? "met" : "**missed**");
  }

  static int rate(Figures f) {
    return f.root().path("plan").path("rate").asInt();
  }
}
