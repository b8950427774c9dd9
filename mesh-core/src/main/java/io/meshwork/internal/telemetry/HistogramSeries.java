package io.meshwork.internal.telemetry;

import java.util.List;

/**
 * Durations in explicit buckets. Recording is a binary search over the bounds in nanoseconds and two
 * adds to {@link StripedCounts} (the buckets, then the sum in the last slot), with no allocation and
 * no lock. The count is not kept apart: it is the total of the buckets, so a scrape can never see a
 * count that disagrees with them.
 */
public final class HistogramSeries extends Series {

  private final long[] boundsNanos;
  /** The buckets, then the sum of the durations in nanoseconds. */
  private final StripedCounts counts;
  private final int sumSlot;

  HistogramSeries(Family family, List<String> labelValues, long[] boundsNanos) {
    super(family, labelValues);
    this.boundsNanos = boundsNanos;
    this.sumSlot = boundsNanos.length + 1;
    this.counts = new StripedCounts(sumSlot + 1);
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
    counts.add(low, 1);
    counts.add(sumSlot, value);
  }

  @Override
  public long count() {
    long total = 0;
    for (int i = 0; i < sumSlot; i++) {
      total += counts.sum(i);
    }
    return total;
  }

  /** The sum in seconds. */
  @Override
  public double value() {
    return counts.sum(sumSlot) / 1e9;
  }

  @Override
  public long[] bucketCounts() {
    long[] buckets = new long[sumSlot];
    for (int i = 0; i < buckets.length; i++) {
      buckets[i] = counts.sum(i);
    }
    return buckets;
  }
}
