package io.meshwork.internal.telemetry;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Durations in explicit buckets. Recording is a binary search over the bounds in nanoseconds and two
 * striped adds, with no allocation and no lock. The count is not kept apart: it is the total of the
 * buckets, so a scrape can never see a count that disagrees with them.
 */
public final class HistogramSeries extends Series {

  private final long[] boundsNanos;
  private final LongAdder[] buckets;
  private final LongAdder sumNanos = new LongAdder();

  HistogramSeries(Family family, List<String> labelValues, long[] boundsNanos) {
    super(family, labelValues);
    this.boundsNanos = boundsNanos;
    this.buckets = new LongAdder[boundsNanos.length + 1];
    for (int i = 0; i < buckets.length; i++) {
      buckets[i] = new LongAdder();
    }
  }

  /** Records one duration of {@code nanos} (negative ones count as zero). */
  public void record(long nanos) {
    long value = Math.max(0, nanos);
    int low = 0;
    int high = boundsNanos.length;
    while (low < high) { // the first bound >= value; past the last: the +Inf bucket
      int mid = (low + high) >>> 1;
      if (boundsNanos[mid] < value) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    buckets[low].increment();
    sumNanos.add(value);
  }

  @Override
  public long count() {
    long total = 0;
    for (LongAdder bucket : buckets) {
      total += bucket.sum();
    }
    return total;
  }

  /** The sum in seconds. */
  @Override
  public double value() {
    return sumNanos.sum() / 1e9;
  }

  @Override
  public long[] bucketCounts() {
    long[] counts = new long[buckets.length];
    for (int i = 0; i < counts.length; i++) {
      counts[i] = buckets[i].sum();
    }
    return counts;
  }
}
