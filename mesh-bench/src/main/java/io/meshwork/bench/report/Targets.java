package io.meshwork.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The targets, each with what this run measured and whether it was met. A figure of several rounds
 * is quoted as its median with the range of the rounds, never its best round; a JMH figure is met
 * only when its score with its error is within the target.
 */
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
    rows.add(row("HTTP/1.1 max throughput, Meshwork (default policy stack) vs the plain client", "≥ 0.9×",
        Text.spread(throughput, "%.2f×"), throughput, v -> v >= 0.9));
    Stats cpu = f.difference("meshwork", "limit", "closed", "cpuMicrosPerRequest");
    rows.add(row("added client CPU per call over the plain client", "≤ 1.5 µs", Text.spread(cpu, "%.1f µs"), cpu,
        v -> v <= 1.5));
    Stats oneThread = CallSections.oneThreadRatio(f, "meshwork");
    Stats balance = f.comparison("meshwork", "oneThread", "loopBalance");
    rows.add(new Row("calls started from one thread: throughput vs spread, and the least busy loop's share",
        "≥ 0.9×, every loop busy", Text.spread(oneThread, "%.2f×") + "; " + Text.spread(balance.times(100),
            "%.0f %%"), !oneThread.present() || !balance.present() ? "not measured"
            : oneThread.median() >= 0.9 && balance.min() >= 0.5 ? "met" : "**missed**"));
    Stats h2 = f.ratio("meshwork-h2", "limit-h2", "closed", "throughput");
    rows.add(row("HTTP/2 (h2c) max throughput, Meshwork vs the plain HTTP/2 client", "≥ 0.85×",
        Text.spread(h2, "%.2f×"), h2, v -> v >= 0.85));
    Stats mtls = f.ratio("meshwork-mtls", "meshwork-on-mesh-servers", "closed", "throughput");
    rows.add(row("STRICT mTLS max throughput vs plaintext (both to Meshwork servers)", "≥ 0.9×",
        Text.spread(mtls, "%.2f×"), mtls, v -> v >= 0.9));
    Stats setup = CallSections.setupAdded(f);
    rows.add(new Row("mTLS connection set-up: added to a new connection's first call (p50)", "reported",
        Text.latency(setup), setup.present() ? "—" : "not measured"));
    Stats p50 = f.difference("meshwork", "limit", "open", "p50");
    rows.add(row("added p50 at a fixed " + rate(f) + " req/s", "≤ 10 µs", Text.spread(p50, "%.0f µs"), p50,
        v -> v <= 10));
    rows.add(slowInstance(f));
    rows.add(outage(f));
    JsonNode heap = f.root().path("heap").path("meshwork").path("heap");
    double heapMb = heap.path("heapDeltaBytes").asDouble(Double.NaN) / 1e6;
    rows.add(row("client heap, " + heap.path("services").asInt() + " services × " + heap.path("instances").asInt()
        + " instances", "≤ 10 MB", Double.isNaN(heapMb) ? "—" : Text.format("%.1f MB", heapMb),
        Stats.of(List.of(heapMb)), v -> v <= 10));
    rows.add(pick(f));
    JsonNode breaker = f.micro("BreakerBenchmark.acquireAndRecordSuccess", null, null);
    rows.add(micro("breaker acquire + record (JMH)", "≤ 50 ns, 0 B/op", breaker, 50));
    rows.add(MicroTargets.chainAllocation(f));
    rows.add(MicroTargets.routeMatch(f));
    rows.add(PairedTargets.ratio(f, "routes", "throughput with 10 route rules vs none (CPU per call over Netty,"
        + " client and server, alternating rounds)"));
    rows.add(micro("recording one call's metrics (JMH)", "≤ 100 ns, 0 B/op",
        f.micro("TelemetryBenchmark.recordOneCall", null, null), 100));
    rows.add(PairedTargets.ratio(f, "telemetry", "throughput with the recommended telemetry vs all off (CPU per"
        + " call over Netty, client and server, alternating rounds)"));
    rows.add(MicroTargets.issuance(f));
    rows.add(MicroTargets.applyConfig(f));
    return rows;
  }

  /**
   * Peak-EWMA's p99 with one slow instance over the p99 with only the 3 fast instances, round by
   * round: met only when every round is within the bound, since one bad round is what a caller sees.
   */
  private static Row slowInstance(Figures f) {
    JsonNode ewma = f.root().path("scenarios").path("slowInstance").path("peakEwma");
    JsonNode fast = f.root().path("scenarios").path("slowInstance").path("threeFast");
    List<Double> ratios = new ArrayList<>();
    for (int i = 0; i < Math.min(ewma.size(), fast.size()); i++) {
      ratios.add(Figures.number(ewma.get(i).path("open").path("p99"))
          / Figures.number(fast.get(i).path("open").path("p99")));
    }
    Stats ratio = Stats.of(ratios);
    String figure = "p99 at " + rate(f) + " req/s with one of 4 instances +20 ms (peak-EWMA) vs the 3 fast"
        + " instances alone, every round";
    if (!ratio.present()) {
      return new Row(figure, "≤ 1.5×", "—", "not measured");
    }
    return new Row(figure, "≤ 1.5×", Text.spread(ratio, "%.2f×") + " (worst round " + Text.format("%.2f×",
        ratio.max()) + ")", ratio.max() <= 1.5 ? "met" : "**missed**");
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
        double score = MicroTargets.upper(result);
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
    return new Row("pick among 1,000 instances (JMH), slowest balancer, score + error", "≤ 100 ns, 0 B/op",
        Text.format("%.0f ns (%s), ≤ %.1f B/op", worst, worstName, worstBytes), met ? "met" : "**missed**");
  }

  private static Row micro(String figure, String target, JsonNode result, double maxNanos) {
    if (result.isMissingNode()) {
      return new Row(figure, target, "—", "not measured");
    }
    double bytes = result.path("bytesPerOp").asDouble(0);
    return new Row(figure, target, MicroTargets.scoreWithError(result, "ns") + Text.format(", %.1f B/op", bytes),
        verdict(MicroTargets.upper(result) <= maxNanos && bytes < 0.5,
            result.path("score").asDouble() <= maxNanos && bytes < 0.5));
  }

  /**
   * A figure measured in rounds: met only when every round is within the target (the spread is its
   * error bar); "not shown" when the median is within but some round is not.
   */
  private static Row row(String figure, String target, String measured, Stats stats,
      java.util.function.DoublePredicate met) {
    if (!stats.present()) {
      return new Row(figure, target, measured, "not measured");
    }
    return new Row(figure, target, measured,
        verdict(met.test(stats.min()) && met.test(stats.max()), met.test(stats.median())));
  }

  /** "met" when the whole error bar is within the target, "not shown" when only its centre is. */
  static String verdict(boolean errorBarWithin, boolean centreWithin) {
    return errorBarWithin ? "met" : centreWithin ? "**not shown** (centre within, error bar not)" : "**missed**";
  }

  static int rate(Figures f) {
    return f.root().path("plan").path("rate").asInt();
  }
}
