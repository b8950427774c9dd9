package io.meshwork.internal;

import io.meshwork.AttemptEvent;
import io.meshwork.CircuitOpenException;
import io.meshwork.MeshClosedException;
import io.meshwork.MeshException;
import io.meshwork.MeshListener;
import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import io.meshwork.loadbalancer.LoadBalancer;
import io.meshwork.policy.StatusSet;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.time.Ticker;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

/**
 * Picks the instance of one attempt and learns from its outcome. The balancer picks from the
 * destination's snapshot, preferring instances the call has not tried; the instance's breaker must
 * grant a permit, or the pick is recorded as failed and made again (in panic mode an open breaker
 * does not stop the attempt, and is not told its outcome). When the attempt ends, its outcome goes
 * to the breaker, to outlier detection and to the balancer: exactly one record per pick. Which
 * statuses count as failures of the instance is the policy's {@code failureStatuses}.
 */
final class BalanceStage implements Stage {

  private final Destination destination;
  private final LoadBalancer balancer;
  private final StatusSet failureStatuses;
  private final Ticker ticker;
  private final MeshListener listener;

  BalanceStage(Destination destination, LoadBalancer balancer, Ticker ticker, MeshListener listener) {
    this.destination = destination;
    this.balancer = balancer;
    this.failureStatuses = destination.policy.failureStatuses();
    this.ticker = ticker;
    this.listener = listener;
  }

  @Override
  public String name() {
    return "balance";
  }

  @Override
  public Set<ContextValue> provides() {
    return Set.of(ContextValue.INSTANCE);
  }

  @Override
  public Set<ContextValue> requires() {
    return Set.of(ContextValue.ATTEMPT);
  }

  @Override
  public MeshClient wrap(MeshClient next) {
    return (request, context) -> execute(request, context, next);
  }

  private CompletableFuture<MeshResponse> execute(MeshRequest request, CallContext context, MeshClient next) {
    Attempt attempt = context.attempt();
    long start = ticker.nanoTime();
    EndpointSnapshot snapshot = destination.snapshot(start);
    List<ServiceInstance> instances = snapshot.instances;
    if (instances.isEmpty()) {
      return CompletableFuture.failedFuture(destination.noInstance(snapshot));
    }
    String hashKey = context.options.hashKey();
    for (int pick = 0; pick <= instances.size(); pick++) {
      ServiceInstance instance = balancer.pick(instances, request, hashKey, context.tried());
      if (instance == null) {
        return CompletableFuture.failedFuture(destination.noInstance(snapshot));
      }
      Endpoint endpoint = snapshot.endpoint(instance);
      if (endpoint == null) {
        MeshException wrong = new MeshException(destination.service, "the balancer picked " + instance
            + ", which is not one of the instances it was given");
        balancer.recordFailure(instance, wrong);
        return CompletableFuture.failedFuture(wrong);
      }
      boolean permit = endpoint.breaker.tryAcquire();
      if (!permit && !snapshot.panic) {
        balancer.recordFailure(instance, new CircuitOpenException(destination.service,
            "circuit of " + instance.address() + " is open"));
        context.addTried(instance);
        continue;
      }
      attempt.pick(instance);
      CompletableFuture<MeshResponse> exchange;
      try {
        exchange = next.execute(request, context);
      } catch (RuntimeException e) {
        exchange = CompletableFuture.failedFuture(e);
      }
      return exchange.whenComplete((response, failure) ->
          record(endpoint, instance, request, attempt, start, permit, response, failure));
    }
    return CompletableFuture.failedFuture(new CircuitOpenException(destination.service,
        "the circuits of all " + instances.size() + " available instances are open"));
  }

  private void record(Endpoint endpoint, ServiceInstance instance, MeshRequest request, Attempt attempt,
      long start, boolean permit, MeshResponse response, Throwable failure) {
    long end = ticker.nanoTime();
    long latency = end - start;
    Throwable cause = failure == null ? null : Futures.unwrap(failure);
    if (listener != null) {
      Listeners.attempt(listener, new AttemptEvent(destination.service, instance, attempt.number, request,
          response, cause, Duration.ofNanos(latency)));
    }
    if (response != null && !failureStatuses.contains(response.status())) {
      if (permit) {
        endpoint.breaker.onSuccess();
      }
      destination.outliers.onSuccess(endpoint, latency, end);
      balancer.recordSuccess(instance, latency, end);
    } else if (cause instanceof CancellationException || cause instanceof MeshClosedException) {
      if (permit) {
        endpoint.breaker.onIgnored();
      }
      balancer.recordFailure(instance, cause);
    } else {
      Throwable reason = cause != null ? cause
          : new MeshException(destination.service, "status " + response.status() + " from " + instance.address());
      if (permit) {
        endpoint.breaker.onFailure();
      }
      destination.outliers.onFailure(endpoint, latency, end);
      balancer.recordFailure(instance, reason, latency, end);
    }
  }
}
