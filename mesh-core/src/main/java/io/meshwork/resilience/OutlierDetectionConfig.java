package io.meshwork.resilience;

import java.time.Duration;

/**
 * Passive outlier detection per instance, as Envoy's: after {@code consecutiveFailures} failures in a
 * row an instance is ejected for {@code baseEjectionTime} x its number of ejections, capped at
 * {@code maxEjectionTime}. At most {@code maxEjectionPercent} of the instances are ejected at once
 * (but always at least one may be). When fewer than {@code panicThresholdPercent} of the healthy
 * instances are available, the balancer uses all healthy instances rather than failing everything.
 *
 * @param enabled whether instances are ejected at all
 * @param consecutiveFailures failures in a row (5xx, connect failures, resets, timeouts) that eject
 * @param baseEjectionTime the first ejection's length
 * @param maxEjectionTime the longest ejection
 * @param maxEjectionPercent the share of instances that may be ejected at once, 0..100
 * @param panicThresholdPercent below this share of available instances, ejections are ignored, 0..100
 */
public record OutlierDetectionConfig(
    boolean enabled,
    int consecutiveFailures,
    Duration baseEjectionTime,
    Duration maxEjectionTime,
    int maxEjectionPercent,
    int panicThresholdPercent) {

  /** Validates every field. */
  public OutlierDetectionConfig {
    Checks.atLeast("consecutiveFailures", consecutiveFailures, 1);
    Checks.positive("baseEjectionTime", baseEjectionTime);
    Checks.positive("maxEjectionTime", maxEjectionTime);
    if (maxEjectionTime.compareTo(baseEjectionTime) < 0) {
      throw new IllegalArgumentException("maxEjectionTime: " + maxEjectionTime
          + " (expected: >= baseEjectionTime " + baseEjectionTime + ")");
    }
    Checks.between("maxEjectionPercent", maxEjectionPercent, 0, 100);
    Checks.between("panicThresholdPercent", panicThresholdPercent, 0, 100);
  }

  /** 5 failures in a row; 30 s x ejections, at most 300 s; 10% at once; panic below 50%. */
  public static OutlierDetectionConfig defaults() {
    return builder().build();
  }

  /** Never ejects. */
  public static OutlierDetectionConfig disabled() {
    return builder().enabled(false).build();
  }

  /** A builder that starts from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds an {@link OutlierDetectionConfig}; each setter checks its value at once. */
  public static final class Builder {
    private boolean enabled = true;
    private int consecutiveFailures = 5;
    private Duration baseEjectionTime = Duration.ofSeconds(30);
    private Duration maxEjectionTime = Duration.ofSeconds(300);
    private int maxEjectionPercent = 10;
    private int panicThresholdPercent = 50;

    private Builder() {}

    /** Whether instances are ejected at all. */
    public Builder enabled(boolean value) {
      this.enabled = value;
      return this;
    }

    /** Failures in a row that eject. */
    public Builder consecutiveFailures(int value) {
      this.consecutiveFailures = Checks.atLeast("consecutiveFailures", value, 1);
      return this;
    }

    /** The first ejection's length. */
    public Builder baseEjectionTime(Duration value) {
      this.baseEjectionTime = Checks.positive("baseEjectionTime", value);
      return this;
    }

    /** The longest ejection. */
    public Builder maxEjectionTime(Duration value) {
      this.maxEjectionTime = Checks.positive("maxEjectionTime", value);
      return this;
    }

    /** The share of instances that may be ejected at once. */
    public Builder maxEjectionPercent(int value) {
      this.maxEjectionPercent = Checks.between("maxEjectionPercent", value, 0, 100);
      return this;
    }

    /** Below this share of available instances, ejections are ignored. */
    public Builder panicThresholdPercent(int value) {
      this.panicThresholdPercent = Checks.between("panicThresholdPercent", value, 0, 100);
      return this;
    }

    /** The config; cross-field checks happen here. */
    public OutlierDetectionConfig build() {
      return new OutlierDetectionConfig(enabled, consecutiveFailures, baseEjectionTime,
          maxEjectionTime, maxEjectionPercent, panicThresholdPercent);
    }
  }
}
