package io.meshwork.resilience;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Outcomes over a sliding time window, in {@value #BUCKETS} buckets. Each bucket is one long packing
 * its epoch (24 bits), failures and calls (20 bits each, saturating), updated by compare-and-set:
 * recording takes no lock and allocates nothing.
 */
final class OutcomeWindow {

  static final int BUCKETS = 10;
  private static final int COUNT_BITS = 20;
  private static final long COUNT_MAX = (1L << COUNT_BITS) - 1;
  private static final long EPOCH_MASK = (1L << 24) - 1;

  private final long bucketNanos;
  private final AtomicLongArray buckets = new AtomicLongArray(BUCKETS);

  OutcomeWindow(long windowNanos) {
    this.bucketNanos = Math.max(1, windowNanos / BUCKETS);
  }

  void record(long nowNanos, boolean failure) {
    long epoch = Math.floorDiv(nowNanos, bucketNanos) & EPOCH_MASK;
    int slot = (int) (epoch % BUCKETS);
    while (true) {
      long current = buckets.get(slot);
      long next;
      if (epochOf(current) == epoch) {
        long calls = Math.min(COUNT_MAX, callsOf(current) + 1);
        long failures = Math.min(COUNT_MAX, failuresOf(current) + (failure ? 1 : 0));
        next = pack(epoch, failures, calls);
      } else {
        next = pack(epoch, failure ? 1 : 0, 1);
      }
      if (next == current || buckets.compareAndSet(slot, current, next)) {
        return;
      }
    }
  }

  /** Whether the window holds at least {@code minimum} calls with a failure ratio at or above {@code threshold}. */
  boolean exceeds(long nowNanos, int minimum, double threshold) {
    long epoch = Math.floorDiv(nowNanos, bucketNanos) & EPOCH_MASK;
    long calls = 0;
    long failures = 0;
    for (int slot = 0; slot < BUCKETS; slot++) {
      long bucket = buckets.get(slot);
      if (((epoch - epochOf(bucket)) & EPOCH_MASK) < BUCKETS) {
        calls += callsOf(bucket);
        failures += failuresOf(bucket);
      }
    }
    return calls >= minimum && failures >= threshold * calls;
  }

  void reset() {
    for (int slot = 0; slot < BUCKETS; slot++) {
      buckets.set(slot, 0);
    }
  }

  private static long pack(long epoch, long failures, long calls) {
    return epoch << (2 * COUNT_BITS) | failures << COUNT_BITS | calls;
  }

  private static long epochOf(long bucket) {
    return bucket >>> (2 * COUNT_BITS);
  }

  private static long failuresOf(long bucket) {
    return (bucket >>> COUNT_BITS) & COUNT_MAX;
  }

  private static long callsOf(long bucket) {
    return bucket & COUNT_MAX;
  }
}
