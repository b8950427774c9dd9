package io.meshwork.internal;

import io.meshwork.AttemptEvent;
import io.meshwork.CircuitOpenException;
import io.meshwork.MeshClosedException;
import io.meshwork.MeshException;
import io.meshwork.MeshListener;
import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import io.meshwork.loadbalancer.LoadBalancer;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.time.Ticker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

/**
 * Picks the instance of one attempt and learns from its outcome. The balancer picks from the
 * destination's snapshot (healthy, not ejected, not circuit-open), preferring instances the call has
 * not tried; the instance's breaker must grant a permit, or the pick is recorded as failed and made
 * again. When the attempt ends, its outcome goes to the breaker, to outlier detection and to the
 * balancer: exactly one record per pick.
 */
final class BalanceStage implements Stage {

  private final Destination destination;
  private final LoadBalancer balancer;
  private final Ticker ticker;
  private final MeshListener listener;

  BalanceStage(Destination destination, LoadBalancer balancer, Ticker ticker, MeshListener listener) {
    this.destination = destination;
    this.balancer = balancer;
    this.ticker = ticker;
    this.listener = listener;
  }

  @Override
  public MeshClient wrap(MeshClient next) {
    return (request, context) -> execute(request, context, next);
  }

  private CompletableFuture<MeshResponse> execute(MeshRequest request, CallContext context, MeshClient next) {
    long start = ticker.nanoTime();
    EndpointSnapshot snapshot = destination.snapshot(start);
    List<ServiceInstance> instances = snapshot.instances;
    if (instances.isEmpty()) {
      return CompletableFuture.failedFuture(destination.noInstance(snapshot));
    }
    for (int pick = 0; pick <= instances.size(); pick++) {
      ServiceInstance instance = balancer.pick(instances, request, context.tried());
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
      if (!endpoint.breaker.tryAcquire()) {
        balancer.recordFailure(instance, new CircuitOpenException(destination.service,
            "circuit of " + instance.address() + " is open"));
        context.addTried(instance);
        continue;
      }
      Attempt attempt = context.attempt;
      attempt.instance = instance;
      CompletableFuture<MeshResponse> exchange;
      try {
        exchange = next.execute(request, context);
      } catch (RuntimeException e) {
        exchange = CompletableFuture.failedFuture(e);
      }
      return exchange.whenComplete((response, failure) ->
          record(endpoint, instance, request, attempt, start, response, failure));
    }
    return CompletableFuture.failedFuture(new CircuitOpenException(destination.service,
        "the circuits of all " + instances.size() + " available instances are open"));
  }

  private void record(Endpoint endpoint, ServiceInstance instance, MeshRequest request, Attempt attempt,
      long start, MeshResponse response, Throwable failure) {
    long end = ticker.nanoTime();
    long latency = end - start;
    Throwable cause = failure == null ? null : Futures.unwrap(failure);
    if (listener != null) {
      Listeners.attempt(listener, new AttemptEvent(destination.service, instance, attempt.number, request,
          response, cause, Duration.ofNanos(latency)));
    }
    if (response != null && !response.isServerError()) {
      destination.onSuccess(endpoint);
      balancer.recordSuccess(instance, latency);
    } else if (cause instanceof CancellationException || cause instanceof MeshClosedException) {
      destination.onIgnored(endpoint);
      balancer.recordFailure(instance, cause);
    } else {
      Throwable reason = cause != null ? cause
          : new MeshException(destination.service, "status " + response.status() + " from " + instance.address());
      destination.onFailure(endpoint, end);
      balancer.recordFailure(instance, reason, latency);
    }
  }
}
