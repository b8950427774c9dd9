package io.meshwork.internal.telemetry;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;

/**
 * A value now: either kept here (set or moved up and down by the mesh) or read from {@code source}
 * when asked, so gauges of state the mesh already keeps (a queue's length, a pool's connections)
 * cost nothing until scraped.
 */
public final class GaugeSeries extends Series {

  private final AtomicLong value = new AtomicLong();
  private final DoubleSupplier source;

  GaugeSeries(Family family, List<String> labelValues, DoubleSupplier source) {
    super(family, labelValues);
    this.source = source;
  }

  /** Sets the value. */
  public void set(long newValue) {
    value.set(newValue);
  }

  /** Adds {@code delta}, which may be negative. */
  public void add(long delta) {
    value.addAndGet(delta);
  }

  @Override
  public double value() {
    return source != null ? source.getAsDouble() : value.get();
  }
}
