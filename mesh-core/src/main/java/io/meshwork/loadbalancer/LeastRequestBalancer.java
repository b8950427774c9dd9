package io.meshwork.loadbalancer;

import java.util.random.RandomGenerator;

/** Least request by power of two choices on the number of calls in flight. */
final class LeastRequestBalancer extends TwoChoiceBalancer {

  LeastRequestBalancer(RandomGenerator random) {
    super(random);
  }

  @Override
  double load(LoadStats stats, long now) {
    return stats.inFlight.get();
  }
}
