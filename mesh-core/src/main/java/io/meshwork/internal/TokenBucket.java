package io.meshwork.internal;

import io.meshwork.traffic.RateLimit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A token bucket as the generic cell rate algorithm: one atomic "theoretical arrival time", moved
 * by compare-and-set, so a check takes no lock and allocates nothing. Starts full: {@code burst}
 * calls pass at once, then one every {@code 1 / perSecond}.
 */
final class TokenBucket {

  private final RateLimit limit;
  private final long intervalNanos;
  private final long toleranceNanos;
  private final AtomicLong arrival;

  TokenBucket(RateLimit limit, long nowNanos) {
    this.limit = limit;
    this.intervalNanos = Math.max(1, Math.round(1e9 / limit.perSecond()));
    this.toleranceNanos = intervalNanos * limit.burst();
    this.arrival = new AtomicLong(nowNanos);
  }

  RateLimit limit() {
    return limit;
  }

  /** Takes a token at {@code now}: 0 when taken, else the nanoseconds until one is free. */
  long tryAcquire(long now) {
    while (true) {
      long current = arrival.get();
      long next = (current - now > 0 ? current : now) + intervalNanos;
      long over = next - now - toleranceNanos;
      if (over > 0) {
        return over;
      }
      if (arrival.compareAndSet(current, next)) {
        return 0;
      }
    }
  }
}
