package io.meshwork.internal.telemetry;

/**
 * The traffic of one service in the last samples: for each interval between two samples, the
 * request rate, the share that succeeded and the p50 and p99 latency of the requests that ended in
 * it. Holds the previous totals to take differences from and a ring of the last {@code capacity}
 * points; not thread-safe ({@link TrafficHistory} serializes it).
 */
final class TrafficSeries {

  private final String name;
  private final double[] boundsMillis;
  private final long[] at;
  private final double[] rate;
  private final double[] success;
  private final double[] p50;
  private final double[] p99;
  private long lastCount;
  private long lastErrors;
  private long[] lastBuckets;
  private int size;
  private int next;

  /**
   * An empty series of {@code name}; its totals start at zero, as the mesh's counters do.
   *
   * @param bounds the histogram's bucket bounds, in seconds
   */
  TrafficSeries(String name, double[] bounds, int capacity) {
    this.name = name;
    this.boundsMillis = new double[bounds.length];
    for (int i = 0; i < bounds.length; i++) {
      boundsMillis[i] = bounds[i] * 1000;
    }
    this.at = new long[capacity];
    this.rate = new double[capacity];
    this.success = new double[capacity];
    this.p50 = new double[capacity];
    this.p99 = new double[capacity];
    this.lastBuckets = new long[bounds.length + 1];
  }

  String name() {
    return name;
  }

  /**
   * Adds the point of the interval that ends at {@code nanos} and lasted {@code seconds}, from the
   * totals now. A total lower than before (a series that restarted) counts from zero.
   */
  void record(long nanos, double seconds, long count, long errors, long[] buckets) {
    long calls = delta(count, lastCount);
    long failed = Math.min(calls, delta(errors, lastErrors));
    long[] ended = new long[buckets.length];
    long bucketTotal = 0;
    for (int i = 0; i < buckets.length; i++) {
      ended[i] = delta(buckets[i], i < lastBuckets.length ? lastBuckets[i] : 0);
      bucketTotal += ended[i];
    }
    at[next] = nanos;
    rate[next] = seconds > 0 ? calls / seconds : Double.NaN;
    success[next] = calls == 0 ? Double.NaN : (calls - failed) / (double) calls;
    p50[next] = quantile(0.5, boundsMillis, ended, bucketTotal);
    p99[next] = quantile(0.99, boundsMillis, ended, bucketTotal);
    next = (next + 1) % at.length;
    size = Math.min(size + 1, at.length);
    lastCount = count;
    lastErrors = errors;
    lastBuckets = buckets.clone();
  }

  /** The rate of the last interval; 0 before the first. */
  double lastRate() {
    return size == 0 ? 0 : rate[(next - 1 + at.length) % at.length];
  }

  /** The share of the last interval's requests that succeeded; NaN when it had none. */
  double lastSuccess() {
    return size == 0 ? Double.NaN : success[(next - 1 + at.length) % at.length];
  }

  /**
   * The points as JSON: {@code t} in Unix seconds (a point at {@code at} is {@code nowNanos - at}
   * before {@code nowMillis}), then the rate per second, the success share (0..1) and the p50 and p99
   * in milliseconds; null where an interval had no request.
   */
  void json(StringBuilder out, long nowNanos, long nowMillis) {
    int first = (next - size + at.length) % at.length;
    StringBuilder t = new StringBuilder("[");
    StringBuilder rates = new StringBuilder("[");
    StringBuilder successes = new StringBuilder("[");
    StringBuilder medians = new StringBuilder("[");
    StringBuilder tails = new StringBuilder("[");
    for (int n = 0; n < size; n++) {
      int i = (first + n) % at.length;
      String separator = n == 0 ? "" : ",";
      t.append(separator).append((nowMillis - (nowNanos - at[i]) / 1_000_000) / 1000.0);
      number(rates.append(separator), rate[i]);
      number(successes.append(separator), success[i]);
      number(medians.append(separator), p50[i]);
      number(tails.append(separator), p99[i]);
    }
    new Json(out).field("name", name).raw("t", t.append(']').toString()).raw("rate", rates.append(']').toString())
        .raw("success", successes.append(']').toString()).raw("p50_ms", medians.append(']').toString())
        .raw("p99_ms", tails.append(']').toString()).end();
  }

  /**
   * The {@code q} quantile of the observations counted in {@code buckets} (per bucket, the last above
   * every bound), interpolated linearly within its bucket as Prometheus' {@code histogram_quantile}
   * does; the highest bound when it falls in the last bucket; NaN without observations.
   */
  static double quantile(double q, double[] bounds, long[] buckets, long total) {
    if (total == 0) {
      return Double.NaN;
    }
    double rank = q * total;
    long below = 0;
    for (int i = 0; i < buckets.length; i++) {
      if (buckets[i] > 0 && below + buckets[i] >= rank) {
        if (i == bounds.length) {
          return bounds[bounds.length - 1];
        }
        double lower = i == 0 ? 0 : bounds[i - 1];
        return lower + (bounds[i] - lower) * (rank - below) / buckets[i];
      }
      below += buckets[i];
    }
    return bounds.length == 0 ? Double.NaN : bounds[bounds.length - 1];
  }

  private static long delta(long now, long before) {
    return now >= before ? now - before : now;
  }

  private static void number(StringBuilder out, double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      out.append("null");
    } else {
      out.append(Math.round(value * 1000) / 1000.0);
    }
  }
}
