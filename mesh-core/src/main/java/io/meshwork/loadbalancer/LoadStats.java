package io.meshwork.loadbalancer;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a load-aware balancer knows of one instance: calls in flight, and a peak-sensitive moving
 * average of latency. Updates race benignly: a lost latency sample only delays the average.
 */
final class LoadStats {

  final AtomicInteger inFlight = new AtomicInteger();
  /** The moving average of latency in nanoseconds; NaN before the first sample. */
  volatile double ewmaNanos = Double.NaN;
  /**
   * When the sample last folded into {@link #ewmaNanos} ended, on the balancer's ticker: each sample
   * carries its own call's end (its pick time plus its latency), never another call's.
   */
  volatile long stampNanos;

  /** One call finished: never goes below zero, whatever a caller does. */
  void release() {
    if (inFlight.decrementAndGet() < 0) {
      inFlight.incrementAndGet(); // a record without its pick: undo rather than go negative
    }
  }
}
