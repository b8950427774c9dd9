package io.meshwork.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Finds, in one run's figures, every one where Meshwork plaintext does worse than a peer. */
final class Trails {

  private Trails() {}

  static List<String> find(Figures f) {
    List<String> findings = new ArrayList<>();
    if (f.missing("meshwork") != null) {
      findings.add("Meshwork plaintext has no figures in this run: " + f.missing("meshwork") + ".");
      return findings;
    }
    for (String peer : List.of("armeria", "haproxy")) {
      if (!f.kinds().contains(peer) || f.missing(peer) != null) {
        continue;
      }
      compare(findings, f, peer, "maximum throughput", "closed", "throughput", true, "%,.0f req/s");
      compare(findings, f, peer, "client CPU per request", "closed", "cpuMicrosPerRequest", false, "%.1f µs");
      compare(findings, f, peer, "p50 at the fixed rate", "open", "p50", false, "%.0f µs");
      compare(findings, f, peer, "p99 at the fixed rate", "open", "p99", false, "%.0f µs");
      compare(findings, f, peer, "p99.9 at the fixed rate", "open", "p999", false, "%.0f µs");
    }
    JsonNode heap = f.root().path("heap");
    double mesh = heap.path("meshwork").path("heap").path("heapDeltaBytes").asDouble(Double.NaN);
    for (String peer : List.of("armeria", "limit")) {
      double other = heap.path(peer).path("heap").path("heapDeltaBytes").asDouble(Double.NaN);
      if (!Double.isNaN(mesh) && !Double.isNaN(other) && mesh > other) {
        findings.add(Text.format("**Client heap**: Meshwork holds %.1f MB for the %d × %d instances, %s %.1f MB.",
            mesh / 1e6, heap.path("meshwork").path("heap").path("services").asInt(),
            heap.path("meshwork").path("heap").path("instances").asInt(), Text.client(peer), other / 1e6));
      }
    }
    return findings;
  }

  private static void compare(List<String> findings, Figures f, String peer, String figure, String phase,
      String metric, boolean higherIsBetter, String pattern) {
    Stats mesh = f.comparison("meshwork", phase, metric);
    Stats other = f.comparison(peer, phase, metric);
    if (!mesh.present() || !other.present()) {
      return;
    }
    boolean worse = higherIsBetter ? mesh.median() < other.median() : mesh.median() > other.median();
    if (!worse) {
      return;
    }
    String noise = mesh.overlaps(other) ? " The rounds' ranges overlap, so on this machine the difference is within"
        + " the noise." : "";
    findings.add(Text.format("**%s** vs %s: Meshwork " + pattern + ", %s " + pattern + " (medians).%s",
        capitalize(figure), Text.client(peer), mesh.median(), peer.equals("haproxy") ? "the HAProxy path" : "Armeria",
        other.median(), noise));
  }

  private static String capitalize(String text) {
    return Character.toUpperCase(text.charAt(0)) + text.substring(1);
  }
}
