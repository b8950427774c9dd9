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
  /** When {@link #ewmaNanos} was last updated, on the balancer's ticker. */
  volatile long stampNanos;
  /**
   * When this instance was last picked, on the balancer's ticker ({@link Long#MIN_VALUE}: never). A
   * sample then ends at that time plus its latency, which spares the record a clock read.
   */
  volatile long pickedNanos = Long.MIN_VALUE;

  /** One call finished: never goes below zero, whatever a caller does. */
  void release() {
    if (inFlight.decrementAndGet() < 0) {
      inFlight.incrementAndGet(); // a record without its pick: undo rather than go negative
    }
  }
}
