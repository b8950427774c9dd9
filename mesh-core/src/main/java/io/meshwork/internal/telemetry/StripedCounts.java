package io.meshwork.internal.telemetry;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A fixed number of counts, striped as {@link java.util.concurrent.atomic.LongAdder} stripes one
 * total, but a whole array per stripe: a histogram's buckets and sum cost one array while one thread
 * records, where an adder per bucket costs an object each (the client keeps a histogram per instance
 * port, so this is most of its metrics' heap). The first failed compare-and-set shows contention and
 * spreads the counts over as many stripes as the machine has cores (a power of two, at most 8); each
 * thread then adds to the stripe of its id. Adding never allocates after that; reading sums the
 * stripes, so a reader sees every add that happened before it started.
 */
final class StripedCounts {

  private static final int MAX_STRIPES = 8;
  private static final int STRIPES = Math.min(MAX_STRIPES,
      Integer.highestOneBit(Math.max(1, Runtime.getRuntime().availableProcessors() * 2 - 1)));

  private final int slots;
  private volatile AtomicLongArray[] stripes;

  StripedCounts(int slots) {
    this.slots = slots;
    this.stripes = new AtomicLongArray[] {new AtomicLongArray(slots)};
  }

  /** Adds {@code delta} to {@code slot}. */
  void add(int slot, long delta) {
    AtomicLongArray[] current = stripes;
    if (current.length == 1) {
      AtomicLongArray only = current[0];
      long value = only.get(slot);
      if (only.compareAndSet(slot, value, value + delta)) {
        return;
      }
      if (STRIPES == 1) {
        only.getAndAdd(slot, delta);
        return;
      }
      current = spread(current);
    }
    current[stripe(current.length)].getAndAdd(slot, delta);
  }

  /** The total of {@code slot}. */
  long sum(int slot) {
    long total = 0;
    for (AtomicLongArray stripe : stripes) {
      total += stripe.get(slot);
    }
    return total;
  }

  /** Contention was seen: from one stripe to {@link #STRIPES}, the first keeping what it counted. */
  private synchronized AtomicLongArray[] spread(AtomicLongArray[] seen) {
    AtomicLongArray[] current = stripes;
    if (current != seen) {
      return current;
    }
    AtomicLongArray[] spread = new AtomicLongArray[STRIPES];
    spread[0] = seen[0];
    for (int i = 1; i < spread.length; i++) {
      spread[i] = new AtomicLongArray(slots);
    }
    stripes = spread;
    return spread;
  }

  private static int stripe(int count) {
    long id = Thread.currentThread().getId();
    return (int) (id ^ (id >>> 16)) & (count - 1);
  }
}
