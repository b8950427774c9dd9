package io.meshwork.bench.backend;

import java.util.concurrent.atomic.LongAdder;

/**
 * How one backend instance answers, changed at run time by the harness: an extra delay before
 * each answer (the slow-instance scenario) and whether it fails every call with a 503 (the failure
 * scenarios). It also counts the requests it received, so retry amplification is seen on the wire.
 */
public final class InstanceBehavior {

  private volatile long delayMillis;
  private volatile boolean failing;
  private final LongAdder received = new LongAdder();

  /** The extra delay before each answer, in milliseconds; 0 answers at once. */
  public long delayMillis() {
    return delayMillis;
  }

  /** Whether every call is answered with a 503. */
  public boolean failing() {
    return failing;
  }

  /** Sets the delay and the fail mode. */
  public void set(long delayMillis, boolean failing) {
    if (delayMillis < 0) {
      throw new IllegalArgumentException("delayMillis: " + delayMillis + " (expected: >= 0)");
    }
    this.delayMillis = delayMillis;
    this.failing = failing;
  }

  /** Counts one received request. */
  void onRequest() {
    received.increment();
  }

  /** Requests received since the start. */
  public long received() {
    return received.sum();
  }
}
