package io.meshwork.bench.soak;

import java.util.List;

/**
 * The trend of the heap used after a full collection, sampled through a soak: the least-squares
 * slope of bytes over time, and the rule that calls it flat.
 *
 * <p>Flat means the slope is below {@link #FLAT_BYTES_PER_MINUTE} (1 MiB a minute, so less than
 * 10 MiB of growth projected over a 10-minute soak). A leak of even 100 bytes a call at the soak's
 * rate grows the heap by several MiB a minute; the noise of a full collection of an idle-sized heap
 * stays well under that.
 *
 * @param samples {@code [secondsSinceStart, bytesUsedAfterGc]} pairs in time order
 */
record HeapTrend(List<double[]> samples) {

  /** The steepest slope still called flat. */
  static final double FLAT_BYTES_PER_MINUTE = 1024 * 1024;

  /** Samples this early are the JVM filling its caches, not a trend: skipped when the soak is long enough. */
  static final double WARM_UP_SECONDS = 60;

  HeapTrend {
    samples = List.copyOf(samples);
  }

  /**
   * The samples the slope is fitted to: those after the first minute when at least three remain,
   * otherwise all of them (a short check has no minute to spare).
   */
  List<double[]> fitted() {
    List<double[]> late = samples.stream().filter(s -> s[0] >= WARM_UP_SECONDS).toList();
    return late.size() >= 3 ? late : samples;
  }

  /** The least-squares slope of the fitted samples in bytes per minute; NaN with fewer than two. */
  double slopeBytesPerMinute() {
    List<double[]> points = fitted();
    int n = points.size();
    if (n < 2) {
      return Double.NaN;
    }
    double meanX = 0;
    double meanY = 0;
    for (double[] p : points) {
      meanX += p[0] / n;
      meanY += p[1] / n;
    }
    double covariance = 0;
    double variance = 0;
    for (double[] p : points) {
      covariance += (p[0] - meanX) * (p[1] - meanY);
      variance += (p[0] - meanX) * (p[0] - meanX);
    }
    return variance == 0 ? Double.NaN : covariance / variance * 60;
  }

  /** Why the trend is not flat, or null when it is. */
  String problem() {
    if (fitted().size() < 3) {
      return "heap: " + samples.size() + " samples after GC (expected: >= 3, one every 10 s)";
    }
    double slope = slopeBytesPerMinute();
    if (!(slope < FLAT_BYTES_PER_MINUTE)) {
      return String.format("heap after GC grows %.0f bytes/min (expected: < %.0f, flat)", slope,
          FLAT_BYTES_PER_MINUTE);
    }
    return null;
  }
}
