package io.meshwork.etcd;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential delays between attempts, doubling from an initial delay up to a cap, each drawn
 * between half and all of its nominal value so that many registries restarted together by one etcd
 * outage do not retry in step. Not thread-safe: each user owns one and runs on one thread.
 */
final class Backoff {

  private final long initialNanos;
  private final long maxNanos;
  private final RandomGenerator random;
  private long nextNanos;

  Backoff(Duration initial, Duration max, RandomGenerator random) {
    this.initialNanos = initial.toNanos();
    this.maxNanos = max.toNanos();
    this.random = random;
    this.nextNanos = initialNanos;
  }

  /** The delay before the next attempt, in milliseconds (at least 1); doubles the one after. */
  long nextMillis() {
    long nominal = nextNanos;
    nextNanos = Math.min(maxNanos, nominal * 2);
    long jittered = nominal / 2 + (long) (random.nextDouble() * (nominal / 2.0));
    return Math.max(1, jittered / 1_000_000);
  }

  /** Starts again from the initial delay, after a success. */
  void reset() {
    nextNanos = initialNanos;
  }
}
