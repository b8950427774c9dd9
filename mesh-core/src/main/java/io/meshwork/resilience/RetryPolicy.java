package io.meshwork.resilience;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/**
 * When and how a call is tried again.
 *
 * @param maxAttempts attempts in all, the first included; 1 means no retry
 * @param perTryTimeout the limit of one attempt; {@link Duration#ZERO} for none (the call's deadline
 *     still applies)
 * @param initialBackoff the wait before the first retry, before jitter
 * @param maxBackoff the longest wait between attempts
 * @param backoffMultiplier how much the wait grows per retry, >= 1
 * @param jitter the random share taken off each wait, 0..1 (1 = full jitter)
 * @param retryOn the outcomes retried
 * @param retryableStatuses further response statuses retried, such as 429
 * @param retryNonIdempotent whether a request that is not idempotent is retried after it may have
 *     been processed; a request that was never sent is always retried
 * @param budget the retry budget shared by the calls of the destination
 */
public record RetryPolicy(
    int maxAttempts,
    Duration perTryTimeout,
    Duration initialBackoff,
    Duration maxBackoff,
    double backoffMultiplier,
    double jitter,
    Set<RetryOn> retryOn,
    Set<Integer> retryableStatuses,
    boolean retryNonIdempotent,
    RetryBudgetConfig budget) {

  /** Validates every field and copies the sets. */
  public RetryPolicy {
    Checks.between("maxAttempts", maxAttempts, 1, 100);
    Checks.notNegative("perTryTimeout", perTryTimeout);
    Checks.notNegative("initialBackoff", initialBackoff);
    Checks.notNegative("maxBackoff", maxBackoff);
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException("maxBackoff: " + maxBackoff + " (expected: >= initialBackoff "
          + initialBackoff + ")");
    }
    Checks.between("backoffMultiplier", backoffMultiplier, 1.0, 100.0);
    Checks.between("jitter", jitter, 0.0, 1.0);
    retryOn = Set.copyOf(retryOn);
    for (int status : retryableStatuses) {
      if (status < 100 || status > 599) {
        throw new IllegalArgumentException("retryableStatuses: " + status + " (expected: 100..599)");
      }
    }
    retryableStatuses = Set.copyOf(retryableStatuses);
    if (budget == null) {
      throw new IllegalArgumentException("budget: null (expected: a RetryBudgetConfig)");
    }
  }

  /** 3 attempts, no per-try timeout, 25..250 ms full-jitter backoff, every outcome, default budget. */
  public static RetryPolicy defaults() {
    return builder().build();
  }

  /** One attempt only. */
  public static RetryPolicy none() {
    return builder().maxAttempts(1).build();
  }

  /** A builder that starts from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** The wait before retry number {@code retry} (1 for the first retry), before jitter. */
  public long backoffNanos(int retry) {
    double nanos = initialBackoff.toNanos() * Math.pow(backoffMultiplier, retry - 1);
    return (long) Math.min(nanos, maxBackoff.toNanos());
  }

  /** Builds a {@link RetryPolicy}; each setter checks its value at once. */
  public static final class Builder {
    private int maxAttempts = 3;
    private Duration perTryTimeout = Duration.ZERO;
    private Duration initialBackoff = Duration.ofMillis(25);
    private Duration maxBackoff = Duration.ofMillis(250);
    private double backoffMultiplier = 2.0;
    private double jitter = 1.0;
    private Set<RetryOn> retryOn = EnumSet.allOf(RetryOn.class);
    private Set<Integer> retryableStatuses = Set.of();
    private boolean retryNonIdempotent;
    private RetryBudgetConfig budget = RetryBudgetConfig.defaults();

    private Builder() {}

    /** Attempts in all, 1..100. */
    public Builder maxAttempts(int value) {
      this.maxAttempts = Checks.between("maxAttempts", value, 1, 100);
      return this;
    }

    /** The limit of one attempt; zero for none. */
    public Builder perTryTimeout(Duration value) {
      this.perTryTimeout = Checks.notNegative("perTryTimeout", value);
      return this;
    }

    /** The first and the longest wait between attempts. */
    public Builder backoff(Duration initial, Duration max) {
      this.initialBackoff = Checks.notNegative("initialBackoff", initial);
      this.maxBackoff = Checks.notNegative("maxBackoff", max);
      return this;
    }

    /** How much the wait grows per retry, >= 1. */
    public Builder backoffMultiplier(double value) {
      this.backoffMultiplier = Checks.between("backoffMultiplier", value, 1.0, 100.0);
      return this;
    }

    /** The random share taken off each wait, 0..1. */
    public Builder jitter(double value) {
      this.jitter = Checks.between("jitter", value, 0.0, 1.0);
      return this;
    }

    /** The outcomes retried. */
    public Builder retryOn(Set<RetryOn> value) {
      this.retryOn = EnumSet.copyOf(value.isEmpty() ? EnumSet.noneOf(RetryOn.class) : value);
      return this;
    }

    /** Further response statuses retried. */
    public Builder retryableStatuses(Set<Integer> value) {
      this.retryableStatuses = Set.copyOf(value);
      return this;
    }

    /** Whether requests that are not idempotent are retried after they may have been processed. */
    public Builder retryNonIdempotent(boolean value) {
      this.retryNonIdempotent = value;
      return this;
    }

    /** The retry budget. */
    public Builder budget(RetryBudgetConfig value) {
      this.budget = value;
      return this;
    }

    /** The policy; cross-field checks happen here. */
    public RetryPolicy build() {
      return new RetryPolicy(maxAttempts, perTryTimeout, initialBackoff, maxBackoff,
          backoffMultiplier, jitter, retryOn, retryableStatuses, retryNonIdempotent, budget);
    }
  }
}
