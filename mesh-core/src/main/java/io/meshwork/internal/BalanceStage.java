package io.meshwork.internal;

import io.meshwork.AttemptEvent;
import io.meshwork.CircuitOpenException;
import io.meshwork.ConnectFailedException;
import io.meshwork.MeshClosedException;
import io.meshwork.MeshException;
import io.meshwork.MeshListener;
import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import io.meshwork.NoHealthyInstanceException;
import io.meshwork.TransportException;
import io.meshwork.loadbalancer.LoadBalancer;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.time.Ticker;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

/**
 * Picks the instance of one attempt and learns from its outcome. The balancer of the call's target
 * (the route's destination service, or a subset of it) picks from the target's snapshot, preferring
 * instances the call has not tried; the instance's breaker must
 * grant a permit, or the pick is recorded as failed and made again (in panic mode an open breaker
 * does not stop the attempt, and is not told its outcome; when every instance's breaker refuses,
 * half-open ones out of probes included, none passes, which is panic too unless the panic threshold
 * is 0). When the attempt ends, its outcome goes
 * to the breaker, to outlier detection and to the balancer: exactly one record per pick. Which
 * statuses count as failures of the instance is the policy's {@code failureStatuses}.
 */
final class BalanceStage implements Stage {

  private final Ticker ticker;
  private final MeshListener listener;

  BalanceStage(Ticker ticker, MeshListener listener) {
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
    return java.util.EnumSet.of(ContextValue.ROUTE, ContextValue.ATTEMPT);
  }

  @Override
  public MeshClient wrap(MeshClient next) {
    return (request, context) -> execute(request, context, next);
  }

  private CompletableFuture<MeshResponse> execute(MeshRequest request, CallContext context, MeshClient next) {
    RouteDecision route = context.route();
    Target target = route.target();
    if (target == null) {
      return CompletableFuture.failedFuture(new NoHealthyInstanceException(route.service(), "route '"
          + route.route + "' sends calls to subset " + route.subset() + ", which " + route.service()
          + "'s policy does not declare"));
    }
    Destination destination = target.destination;
    LoadBalancer balancer = target.balancer;
    long start = ticker.nanoTime();
    EndpointSnapshot snapshot = target.snapshot(start);
    List<ServiceInstance> instances = snapshot.instances;
    if (instances.isEmpty()) {
      return CompletableFuture.failedFuture(target.noInstance(snapshot));
    }
    String hashKey = context.options.hashKey();
    ServiceInstance firstRefused = null;
    for (int pick = 0; pick <= instances.size(); pick++) {
      ServiceInstance instance = balancer.pick(instances, request, hashKey, context.tried());
      if (instance == null) {
        return CompletableFuture.failedFuture(target.noInstance(snapshot));
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
        firstRefused = firstRefused == null ? instance : firstRefused;
        continue;
      }
      return send(target, endpoint, instance, request, context, next, start, permit);
    }
    // Every instance's breaker refused (half-open ones out of probes): none passes now, which is
    // panic by its own rule, so the balancer's first choice takes the attempt, as in panic mode.
    if (firstRefused != null && destination.outliers.config().panicThresholdPercent() > 0) {
      return send(target, snapshot.endpoint(firstRefused), firstRefused, request, context, next, start, false);
    }
    return CompletableFuture.failedFuture(new CircuitOpenException(destination.service,
        "the circuits of all " + instances.size() + " available instances are open"));
  }

  /** Sends the attempt to {@code instance}; {@code permit} says whether its breaker granted one. */
  private CompletableFuture<MeshResponse> send(Target target, Endpoint endpoint, ServiceInstance instance,
      MeshRequest request, CallContext context, MeshClient next, long start, boolean permit) {
    Attempt attempt = context.attempt();
    attempt.pick(instance);
    CompletableFuture<MeshResponse> exchange;
    try {
      exchange = next.execute(request, context);
    } catch (RuntimeException e) {
      exchange = CompletableFuture.failedFuture(e);
    }
    return exchange.whenComplete((response, failure) ->
        record(target, endpoint, instance, request, attempt, start, permit, response, failure));
  }

  private void record(Target target, Endpoint endpoint, ServiceInstance instance, MeshRequest request,
      Attempt attempt, long start, boolean permit, MeshResponse response, Throwable failure) {
    Destination destination = target.destination;
    LoadBalancer balancer = target.balancer;
    long end = ticker.nanoTime();
    long latency = end - start;
    Throwable cause = failure == null ? null : Futures.unwrap(failure);
    if (listener != null) {
      Listeners.attempt(listener, new AttemptEvent(destination.service, instance, attempt.number, request,
          response, cause, Duration.ofNanos(latency)));
    }
    if (response != null && !destination.policy.failureStatuses().contains(response.status())) {
      if (permit) {
        endpoint.breaker.onSuccess();
      }
      destination.outliers.onSuccess(endpoint, latency, end);
      destination.reachability.reached(endpoint);
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
      if (cause instanceof ConnectFailedException) {
        destination.reachability.unreachable(endpoint, end);
      } else if (response != null || cause instanceof TransportException) {
        destination.reachability.reached(endpoint); // connected, and answered badly
      }
      balancer.recordFailure(instance, reason, latency, end);
    }
  }
}
