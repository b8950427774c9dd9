package io.meshwork.loadbalancer;

import java.util.random.RandomGenerator;

/** Least request by power of two choices on the number of calls in flight. */
final class LeastRequestBalancer extends TwoChoiceBalancer {

  private final boolean bound;

  LeastRequestBalancer(RandomGenerator random) {
    super(random != null ? random : Randoms.threadLocal());
    this.bound = random != null;
  }

  @Override
  public LoadBalancer bind(BalancerEnvironment environment) {
    return bound ? this : new LeastRequestBalancer(environment.random());
  }

  @Override
  double load(LoadStats stats, long now) {
    return stats.inFlight.get();
  }
}
