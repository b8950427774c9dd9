package io.meshwork.internal.telemetry;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * A total: a striped adder, so threads recording at once do not contend on one cache line; or a
 * total another component keeps (a transport's handshakes), read from {@code source} when asked.
 */
public final class CounterSeries extends Series {

  private final LongAdder total = new LongAdder();
  private final LongSupplier source;

  CounterSeries(Family family, List<String> labelValues, LongSupplier source) {
    super(family, labelValues);
    this.source = source;
  }

  /** Adds one. */
  public void increment() {
    total.increment();
  }

  /** Adds {@code amount} (>= 0). */
  public void add(long amount) {
    total.add(amount);
  }

  @Override
  public double value() {
    return count();
  }

  @Override
  public long count() {
    return source != null ? source.getAsLong() : total.sum();
  }
}
