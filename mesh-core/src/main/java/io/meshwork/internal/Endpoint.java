package io.meshwork.internal;

import io.meshwork.registry.ServiceInstance;
import io.meshwork.resilience.CircuitBreaker;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a destination knows of one instance, kept across registry updates of that instance id: its
 * breaker, and what outlier detection counts of it. The ejection fields and the last interval's
 * figures are guarded by the destination's {@link OutlierDetector}; the counters of the current
 * interval are atomics written on the hot path.
 */
final class Endpoint {

  /** Added to {@link #outcomes} for a success; a failure adds 1. */
  static final long SUCCESS = 1L << 32;

  volatile ServiceInstance instance;
  volatile CircuitBreaker breaker;
  /** When an open breaker will let probes through, on the mesh's ticker. */
  volatile long reopenAtNanos;

  /** Attempts in a row that could not connect; guarded by this object, read without it. */
  volatile int connectFailures;
  /** Until when the instance is left out after {@link #connectFailures}; guarded by this object. */
  long unreachableUntilNanos;

  final AtomicInteger consecutiveFailures = new AtomicInteger();
  /** This interval's successes (high 32 bits) and failures (low 32 bits). */
  final AtomicLong outcomes = new AtomicLong();
  /** The summed latency of this interval's outcomes, in nanoseconds. */
  final AtomicLong latencyNanos = new AtomicLong();

  boolean ejected;
  long ejectedUntilNanos;
  int ejections;
  long restoredAtNanos;
  long lastSuccesses;
  long lastFailures;
  long lastLatencyNanos;

  Endpoint(ServiceInstance instance) {
    this.instance = instance;
  }

  static long successes(long outcomes) {
    return outcomes >>> 32;
  }

  static long failures(long outcomes) {
    return outcomes & 0xffffffffL;
  }
}
