package io.meshwork.internal;

import io.meshwork.policy.ServicePolicy;
import io.meshwork.resilience.RetryBudget;
import io.meshwork.time.Ticker;
import java.util.Objects;

/**
 * The state a destination's chain keeps across calls — its retry budget, its concurrency counters
 * and its client rate limit — made once and handed to each chain built for the destination, so a
 * new config keeps the state that still applies: a part is made afresh only when its own settings
 * changed.
 */
final class ChainState {

  final ServicePolicy policy;
  final RetryBudget budget;
  final ConcurrencyLimitStage limits;
  final TokenBucket rateLimit;

  private ChainState(ServicePolicy policy, RetryBudget budget, ConcurrencyLimitStage limits, TokenBucket rateLimit) {
    this.policy = policy;
    this.budget = budget;
    this.limits = limits;
    this.rateLimit = rateLimit;
  }

  /** The state of {@code service}'s chain under {@code policy}, keeping what {@code previous} may. */
  static ChainState of(String service, ServicePolicy policy, ChainState previous, Ticker ticker) {
    ServicePolicy old = previous == null ? null : previous.policy;
    RetryBudget budget = old != null && old.retry().budget().equals(policy.retry().budget()) ? previous.budget
        : RetryBudget.create(policy.retry().budget(), ticker);
    ConcurrencyLimitStage limits = old != null && old.limits().equals(policy.limits()) ? previous.limits
        : new ConcurrencyLimitStage(service, policy.limits());
    TokenBucket rateLimit;
    if (policy.rateLimit() == null) {
      rateLimit = null;
    } else if (old != null && Objects.equals(old.rateLimit(), policy.rateLimit())) {
      rateLimit = previous.rateLimit;
    } else {
      rateLimit = new TokenBucket(policy.rateLimit(), ticker.nanoTime());
    }
    return new ChainState(policy, budget, limits, rateLimit);
  }
}
