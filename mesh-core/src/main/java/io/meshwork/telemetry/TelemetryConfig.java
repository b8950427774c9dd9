package io.meshwork.telemetry;

import java.util.Arrays;
import java.util.Objects;

/**
 * What a mesh records about its calls and requests: metrics, W3C trace propagation with spans, and
 * the access log. The defaults are what the docs recommend for production: metrics and tracing on,
 * the access log for errors only.
 *
 * <pre>{@code
 * Mesh.builder().telemetry(TelemetryConfig.builder().accessLog(AccessLogConfig.all().json()).build())
 * }</pre>
 *
 * @param metrics whether calls and requests are recorded in {@code Mesh.metrics()}
 * @param tracing whether trace context is continued, propagated and put in the MDC, and spans made
 * @param accessLog what the access log writes
 * @param maxCallers how many distinct caller identities get a label of their own; later ones are
 *     counted under {@code other}
 * @param durationBuckets the upper bounds of the duration histograms' buckets, in seconds, ascending
 */
public record TelemetryConfig(boolean metrics, boolean tracing, AccessLogConfig accessLog, int maxCallers,
    double[] durationBuckets) {

  /**
   * OpenTelemetry's advised bounds for HTTP durations, with three sub-5 ms buckets in front: calls
   * inside one data centre often take less than a millisecond.
   */
  public static final double[] DEFAULT_DURATION_BUCKETS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
      0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10};

  private static final TelemetryConfig DEFAULTS = builder().build();

  /** Checks every field and copies the bounds. */
  public TelemetryConfig {
    Objects.requireNonNull(accessLog, "accessLog");
    if (maxCallers < 1) {
      throw new IllegalArgumentException("maxCallers: " + maxCallers + " (expected: >= 1)");
    }
    durationBuckets = checkBuckets(durationBuckets);
  }

  /** Metrics and tracing on, access log for errors only, 100 callers, the default buckets. */
  public static TelemetryConfig defaults() {
    return DEFAULTS;
  }

  /** Nothing recorded, propagated or logged. */
  public static TelemetryConfig off() {
    return builder().metrics(false).tracing(false).accessLog(AccessLogConfig.off()).build();
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this configuration. */
  public Builder toBuilder() {
    return builder().metrics(metrics).tracing(tracing).accessLog(accessLog).maxCallers(maxCallers)
        .durationBuckets(durationBuckets);
  }

  /** The bucket bounds (a copy). */
  @Override
  public double[] durationBuckets() {
    return durationBuckets.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TelemetryConfig other && metrics == other.metrics && tracing == other.tracing
        && accessLog.equals(other.accessLog) && maxCallers == other.maxCallers
        && Arrays.equals(durationBuckets, other.durationBuckets);
  }

  @Override
  public int hashCode() {
    return Objects.hash(metrics, tracing, accessLog, maxCallers, Arrays.hashCode(durationBuckets));
  }

  @Override
  public String toString() {
    return "TelemetryConfig{metrics=" + metrics + ", tracing=" + tracing + ", accessLog=" + accessLog
        + ", maxCallers=" + maxCallers + ", durationBuckets=" + Arrays.toString(durationBuckets) + "}";
  }

  private static double[] checkBuckets(double[] bounds) {
    Objects.requireNonNull(bounds, "durationBuckets");
    if (bounds.length == 0) {
      throw new IllegalArgumentException("durationBuckets: [] (expected: at least one bound)");
    }
    double[] copy = bounds.clone();
    for (int i = 0; i < copy.length; i++) {
      boolean finite = copy[i] > 0 && !Double.isInfinite(copy[i]);
      if (!finite || (i > 0 && copy[i] <= copy[i - 1])) {
        throw new IllegalArgumentException("durationBuckets: " + Arrays.toString(copy)
            + " (expected: finite seconds > 0, strictly ascending)");
      }
    }
    return copy;
  }

  /** Builds a {@link TelemetryConfig}; each value is checked when it is set. */
  public static final class Builder {
    private boolean metrics = true;
    private boolean tracing = true;
    private AccessLogConfig accessLog = AccessLogConfig.errorsOnly();
    private int maxCallers = 100;
    private double[] durationBuckets = DEFAULT_DURATION_BUCKETS;

    private Builder() {}

    /** Whether to record metrics; true unless set. */
    public Builder metrics(boolean value) {
      this.metrics = value;
      return this;
    }

    /** Whether to continue and propagate traces and make spans; true unless set. */
    public Builder tracing(boolean value) {
      this.tracing = value;
      return this;
    }

    /** What the access log writes; errors only unless set. */
    public Builder accessLog(AccessLogConfig value) {
      this.accessLog = Objects.requireNonNull(value, "accessLog");
      return this;
    }

    /** How many callers get a label of their own, >= 1; 100 unless set. */
    public Builder maxCallers(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("maxCallers: " + value + " (expected: >= 1)");
      }
      this.maxCallers = value;
      return this;
    }

    /** The duration histograms' bucket bounds in seconds: finite, > 0, strictly ascending. */
    public Builder durationBuckets(double... value) {
      this.durationBuckets = checkBuckets(value);
      return this;
    }

    /** The configuration. */
    public TelemetryConfig build() {
      return new TelemetryConfig(metrics, tracing, accessLog, maxCallers, durationBuckets);
    }
  }
}
