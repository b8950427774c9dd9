package io.meshwork.resilience;

import java.time.Duration;

/**
 * When a {@link CircuitBreaker} opens and how it recovers.
 *
 * @param consecutiveFailures failures in a row that open the circuit; 0 turns this trigger off
 * @param failureRateThreshold failure ratio over the window that opens the circuit, in (0, 1]
 * @param slidingWindow the time window the failure ratio is computed over
 * @param minimumRequests calls the window must hold before the ratio counts
 * @param openDuration how long the circuit stays open before probing
 * @param halfOpenProbes probe calls allowed at once in half-open; that many successes close it
 */
public record CircuitBreakerConfig(
    int consecutiveFailures,
    double failureRateThreshold,
    Duration slidingWindow,
    int minimumRequests,
    Duration openDuration,
    int halfOpenProbes) {

  /** Validates every field. */
  public CircuitBreakerConfig {
    Checks.atLeast("consecutiveFailures", consecutiveFailures, 0);
    if (!(failureRateThreshold > 0 && failureRateThreshold <= 1)) {
      throw new IllegalArgumentException(
          "failureRateThreshold: " + failureRateThreshold + " (expected: > 0 and <= 1)");
    }
    Checks.positive("slidingWindow", slidingWindow);
    Checks.atLeast("minimumRequests", minimumRequests, 1);
    Checks.positive("openDuration", openDuration);
    Checks.atLeast("halfOpenProbes", halfOpenProbes, 1);
  }

  /** 5 consecutive failures, or 50% of at least 20 calls in 10 s; open 10 s; 3 probes. */
  public static CircuitBreakerConfig defaults() {
    return builder().build();
  }

  /** A builder that starts from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link CircuitBreakerConfig}; each setter checks its value at once. */
  public static final class Builder {
    private int consecutiveFailures = 5;
    private double failureRateThreshold = 0.5;
    private Duration slidingWindow = Duration.ofSeconds(10);
    private int minimumRequests = 20;
    private Duration openDuration = Duration.ofSeconds(10);
    private int halfOpenProbes = 3;

    private Builder() {}

    /** Failures in a row that open the circuit; 0 turns this trigger off. */
    public Builder consecutiveFailures(int value) {
      this.consecutiveFailures = Checks.atLeast("consecutiveFailures", value, 0);
      return this;
    }

    /** The failure ratio in (0, 1] that opens the circuit. */
    public Builder failureRateThreshold(double value) {
      if (!(value > 0 && value <= 1)) {
        throw new IllegalArgumentException("failureRateThreshold: " + value + " (expected: > 0 and <= 1)");
      }
      this.failureRateThreshold = value;
      return this;
    }

    /** The window the failure ratio is computed over. */
    public Builder slidingWindow(Duration value) {
      this.slidingWindow = Checks.positive("slidingWindow", value);
      return this;
    }

    /** Calls the window must hold before its ratio counts. */
    public Builder minimumRequests(int value) {
      this.minimumRequests = Checks.atLeast("minimumRequests", value, 1);
      return this;
    }

    /** How long the circuit stays open. */
    public Builder openDuration(Duration value) {
      this.openDuration = Checks.positive("openDuration", value);
      return this;
    }

    /** Probe calls allowed at once in half-open. */
    public Builder halfOpenProbes(int value) {
      this.halfOpenProbes = Checks.atLeast("halfOpenProbes", value, 1);
      return this;
    }

    /** The config. */
    public CircuitBreakerConfig build() {
      return new CircuitBreakerConfig(consecutiveFailures, failureRateThreshold, slidingWindow,
          minimumRequests, openDuration, halfOpenProbes);
    }
  }
}
