package io.meshwork.internal;

import io.meshwork.MeshListener;
import io.meshwork.policy.ServicePolicy;
import io.meshwork.resilience.RetryBudget;
import io.meshwork.time.Scheduler;
import io.meshwork.time.Ticker;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The one place that knows the order of the call path, outermost first (DESIGN.md, "The path of a
 * call"): deadline, retry, concurrency limits, balance with breakers and outlier detection, then the
 * transport.
 */
final class CallChain {

  private CallChain() {}

  static MeshClient build(Destination destination, Ticker ticker, Scheduler scheduler,
      RandomGenerator random, MeshListener listener) {
    String service = destination.service;
    ServicePolicy policy = destination.policy;
    List<Stage> stages = List.of(
        new DeadlineStage(service, policy.timeout(), ticker, scheduler),
        new RetryStage(service, policy.retry(), RetryBudget.create(policy.retry().budget(), ticker),
            ticker, scheduler, random),
        new ConcurrencyLimitStage(service, policy.limits()),
        new BalanceStage(destination, policy.loadBalancer().get(), ticker, listener));
    MeshClient client = new TransportStage(destination.client, ticker);
    for (int i = stages.size() - 1; i >= 0; i--) {
      client = stages.get(i).wrap(client);
    }
    return client;
  }
}
