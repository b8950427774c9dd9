package io.meshwork.resilience;

import java.time.Duration;

/**
 * Passive outlier detection per instance, as Envoy's. Three triggers eject an instance for
 * {@code baseEjectionTime} x its number of ejections, capped at {@code maxEjectionTime}:
 * <ul>
 *   <li>{@code consecutiveFailures} failures in a row;
 *   <li>success rate (every {@code interval}): among at least {@code successRateMinimumHosts}
 *       instances that each had at least {@code successRateRequestVolume} calls in the interval, one
 *       whose success rate is below mean - {@code successRateStdevFactor} x standard deviation;
 *   <li>failure percentage (every {@code interval}, off by default): among at least
 *       {@code failurePercentageMinimumHosts} instances with {@code failurePercentageRequestVolume}
 *       calls, one whose failures reach {@code failurePercentageThreshold} percent.
 * </ul>
 * At most {@code maxEjectionPercent} of the instances are ejected at once (but always at least one
 * may be). When fewer than {@code panicThresholdPercent} of the healthy instances are available, the
 * balancer uses all healthy instances rather than failing everything.
 *
 * @param enabled whether instances are ejected at all
 * @param consecutiveFailures failures in a row (5xx, connect failures, resets, timeouts) that eject
 * @param baseEjectionTime the first ejection's length
 * @param maxEjectionTime the longest ejection
 * @param maxEjectionPercent the share of instances that may be ejected at once, 0..100
 * @param panicThresholdPercent below this share of available instances, ejections and open circuits
 *     are ignored, 0..100
 * @param interval how often success rates and failure percentages are evaluated
 * @param successRateEjection whether the success-rate trigger ejects
 * @param successRateMinimumHosts instances with enough calls needed before success rates count
 * @param successRateRequestVolume calls an instance needs in the interval to count
 * @param successRateStdevFactor how many standard deviations below the mean ejects, > 0
 * @param failurePercentageEjection whether the failure-percentage trigger ejects
 * @param failurePercentageThreshold the failure percentage that ejects, 0..100
 * @param failurePercentageMinimumHosts instances with enough calls needed before percentages count
 * @param failurePercentageRequestVolume calls an instance needs in the interval to count
 */
public record OutlierDetectionConfig(
    boolean enabled,
    int consecutiveFailures,
    Duration baseEjectionTime,
    Duration maxEjectionTime,
    int maxEjectionPercent,
    int panicThresholdPercent,
    Duration interval,
    boolean successRateEjection,
    int successRateMinimumHosts,
    int successRateRequestVolume,
    double successRateStdevFactor,
    boolean failurePercentageEjection,
    int failurePercentageThreshold,
    int failurePercentageMinimumHosts,
    int failurePercentageRequestVolume) {

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
    Checks.positive("interval", interval);
    Checks.atLeast("successRateMinimumHosts", successRateMinimumHosts, 1);
    Checks.atLeast("successRateRequestVolume", successRateRequestVolume, 1);
    Checks.between("successRateStdevFactor", successRateStdevFactor, 0.001, 100.0);
    Checks.between("failurePercentageThreshold", failurePercentageThreshold, 0, 100);
    Checks.atLeast("failurePercentageMinimumHosts", failurePercentageMinimumHosts, 1);
    Checks.atLeast("failurePercentageRequestVolume", failurePercentageRequestVolume, 1);
  }

  /**
   * 5 failures in a row; success rate below mean - 1.9 stdev among 5+ instances with 100+ calls in
   * 10 s; failure percentage off; 30 s x ejections, at most 300 s; 10% at once; panic below 50%.
   */
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
    private Duration interval = Duration.ofSeconds(10);
    private boolean successRateEjection = true;
    private int successRateMinimumHosts = 5;
    private int successRateRequestVolume = 100;
    private double successRateStdevFactor = 1.9;
    private boolean failurePercentageEjection;
    private int failurePercentageThreshold = 85;
    private int failurePercentageMinimumHosts = 5;
    private int failurePercentageRequestVolume = 50;

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

    /** Below this share of available instances, ejections and open circuits are ignored. */
    public Builder panicThresholdPercent(int value) {
      this.panicThresholdPercent = Checks.between("panicThresholdPercent", value, 0, 100);
      return this;
    }

    /** How often success rates and failure percentages are evaluated. */
    public Builder interval(Duration value) {
      this.interval = Checks.positive("interval", value);
      return this;
    }

    /**
     * Success-rate ejection: on or off, the instances and calls per instance it needs, and the
     * number of standard deviations below the mean that ejects.
     */
    public Builder successRate(boolean enabled, int minimumHosts, int requestVolume, double stdevFactor) {
      this.successRateEjection = enabled;
      this.successRateMinimumHosts = Checks.atLeast("successRateMinimumHosts", minimumHosts, 1);
      this.successRateRequestVolume = Checks.atLeast("successRateRequestVolume", requestVolume, 1);
      this.successRateStdevFactor = Checks.between("successRateStdevFactor", stdevFactor, 0.001, 100.0);
      return this;
    }

    /** Whether success-rate ejection is on. */
    public Builder successRateEjection(boolean enabled) {
      this.successRateEjection = enabled;
      return this;
    }

    /**
     * Failure-percentage ejection: on or off, the failure percentage that ejects, and the instances
     * and calls per instance it needs.
     */
    public Builder failurePercentage(boolean enabled, int thresholdPercent, int minimumHosts,
        int requestVolume) {
      this.failurePercentageEjection = enabled;
      this.failurePercentageThreshold = Checks.between("failurePercentageThreshold", thresholdPercent, 0, 100);
      this.failurePercentageMinimumHosts = Checks.atLeast("failurePercentageMinimumHosts", minimumHosts, 1);
      this.failurePercentageRequestVolume = Checks.atLeast("failurePercentageRequestVolume", requestVolume, 1);
      return this;
    }

    /** The config; cross-field checks happen here. */
    public OutlierDetectionConfig build() {
      return new OutlierDetectionConfig(enabled, consecutiveFailures, baseEjectionTime,
          maxEjectionTime, maxEjectionPercent, panicThresholdPercent, interval, successRateEjection,
          successRateMinimumHosts, successRateRequestVolume, successRateStdevFactor,
          failurePercentageEjection, failurePercentageThreshold, failurePercentageMinimumHosts,
          failurePercentageRequestVolume);
    }
  }
}
