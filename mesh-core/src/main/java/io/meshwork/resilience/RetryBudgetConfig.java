package io.meshwork.resilience;

import java.time.Duration;

/**
 * How many retries a {@link RetryBudget} allows, as Finagle and Linkerd: {@code ratio} retries per
 * call, plus a reserve of {@code minRetriesPerSecond} over each {@code ttl} window so a quiet
 * destination can still retry. Under a total outage, calls x (1 + ratio) + minRetriesPerSecond x ttl
 * bounds the attempts within any ttl window.
 *
 * @param ratio retries allowed per call, 0..1000 (0.2 lets 1 call in 5 retry)
 * @param minRetriesPerSecond retries always allowed per second, whatever the ratio
 * @param ttl how long a call's deposit counts; 1 s to 60 s
 */
public record RetryBudgetConfig(double ratio, int minRetriesPerSecond, Duration ttl) {

  /** Validates every field. */
  public RetryBudgetConfig {
    Checks.between("ratio", ratio, 0.0, 1000.0);
    Checks.atLeast("minRetriesPerSecond", minRetriesPerSecond, 0);
    if (ttl == null || ttl.compareTo(Duration.ofSeconds(1)) < 0 || ttl.compareTo(Duration.ofSeconds(60)) > 0) {
      throw new IllegalArgumentException("ttl: " + ttl + " (expected: 1s..60s)");
    }
  }

  /** Ratio 0.2, 10 retries per second, ttl 10 s: Linkerd's defaults. */
  public static RetryBudgetConfig defaults() {
    return new RetryBudgetConfig(0.2, 10, Duration.ofSeconds(10));
  }
}
