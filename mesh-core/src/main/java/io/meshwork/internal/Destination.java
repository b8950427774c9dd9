package io.meshwork.internal;

import io.meshwork.MeshListener;
import io.meshwork.NoHealthyInstanceException;
import io.meshwork.health.DestinationHealth;
import io.meshwork.health.InstanceHealth;
import io.meshwork.health.InstanceState;
import io.meshwork.policy.ServicePolicy;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.registry.Subscription;
import io.meshwork.resilience.CircuitBreaker;
import io.meshwork.resilience.CircuitState;
import io.meshwork.time.Ticker;
import io.meshwork.transport.TransportClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One service this mesh calls: its endpoints, fed by a registry watch, turned into the snapshot the
 * balancer picks from ({@link Eligibility} decides which may be picked). Outcomes go to each
 * endpoint's breaker and to the destination's {@link OutlierDetector}. Changes are serialized by the
 * destination's lock; the hot path only reads the volatile snapshot.
 */
final class Destination implements AutoCloseable {

  final String service;
  final ServicePolicy policy;
  final TransportClient client;
  final OutlierDetector outliers;
  private final Ticker ticker;
  private final MeshListener listener;
  private final Map<String, Endpoint> endpoints = new LinkedHashMap<>();
  private final CompletableFuture<List<ServiceInstance>> firstList = new CompletableFuture<>();
  private volatile EndpointSnapshot snapshot = EndpointSnapshot.EMPTY;
  private volatile boolean stale;
  private volatile Subscription subscription;
  private volatile HealthChecker healthChecker;

  Destination(String service, ServicePolicy policy, TransportClient client, Ticker ticker,
      MeshListener listener) {
    this.service = service;
    this.policy = policy;
    this.client = client;
    this.ticker = ticker;
    this.listener = listener;
    this.outliers = new OutlierDetector(service, policy.outlierDetection(), listener, () -> stale = true,
        ticker.nanoTime());
  }

  /** Starts active health checks; before the registry watch, so they see the first list. */
  void checkHealth(HealthChecker checker) {
    this.healthChecker = checker;
  }

  void subscribe(Subscription subscription) {
    this.subscription = subscription;
  }

  /** Completes with the registry's first list of instances of the service. */
  CompletableFuture<List<ServiceInstance>> firstList() {
    return firstList;
  }

  /** The registry's full list of instances of the service, after a change. */
  synchronized void onInstances(List<ServiceInstance> instances) {
    Map<String, Endpoint> previous = new LinkedHashMap<>(endpoints);
    endpoints.clear();
    for (ServiceInstance instance : instances) {
      Endpoint endpoint = previous.get(instance.id());
      if (endpoint == null) {
        endpoint = new Endpoint(instance);
        endpoint.breaker = newBreaker(endpoint);
      } else if (!endpoint.instance.equals(instance)) {
        endpoint.instance = instance;
      }
      endpoints.put(instance.id(), endpoint);
    }
    outliers.endpoints(endpoints.values());
    client.retain(instances);
    HealthChecker checker = healthChecker;
    if (checker != null) {
      checker.update(instances);
    }
    rebuild(ticker.nanoTime());
    firstList.complete(instances);
  }

  /** The snapshot to pick from at {@code now}, rebuilt first if something changed. */
  EndpointSnapshot snapshot(long now) {
    EndpointSnapshot current = snapshot;
    if (stale || now - current.nextChangeNanos >= 0) {
      current = rebuild(now);
    }
    return current;
  }

  /** The failure to report when the snapshot has nothing to pick. */
  NoHealthyInstanceException noInstance(EndpointSnapshot current) {
    if (current.registered == 0) {
      return new NoHealthyInstanceException(service, "no instance registered");
    }
    return new NoHealthyInstanceException(service, "no healthy instance (" + current.registered
        + " registered, " + current.healthy + " healthy)");
  }

  synchronized DestinationHealth health(long now) {
    outliers.evaluateIfDue(now);
    EndpointSnapshot current = snapshot(now);
    List<InstanceHealth> instances = new ArrayList<>();
    for (Endpoint endpoint : endpoints.values()) {
      instances.add(health(endpoint, now));
    }
    return new DestinationHealth(service, instances, current.instances.size(), current.panic);
  }

  private InstanceHealth health(Endpoint endpoint, long now) {
    long ejectedUntil = outliers.ejectedUntil(endpoint, now);
    CircuitState circuit = endpoint.breaker.state();
    InstanceState state;
    long left = 0;
    if (!endpoint.instance.isHealthy()) {
      state = InstanceState.UNHEALTHY;
    } else if (ejectedUntil != Long.MIN_VALUE) {
      state = InstanceState.EJECTED;
      left = ejectedUntil - now;
    } else if (circuit == CircuitState.OPEN) {
      state = InstanceState.CIRCUIT_OPEN;
      left = Math.max(0, endpoint.reopenAtNanos - now);
    } else {
      state = circuit == CircuitState.HALF_OPEN ? InstanceState.PROBING : InstanceState.AVAILABLE;
    }
    OutlierDetector.RecentStats recent = outliers.recent(endpoint);
    return new InstanceHealth(endpoint.instance, state, Duration.ofNanos(left), circuit,
        endpoint.ejections, endpoint.consecutiveFailures.get(), recent.calls(), recent.successRate(),
        recent.meanLatency());
  }

  @Override
  public void close() {
    Subscription current = subscription;
    if (current != null) {
      current.cancel();
    }
    HealthChecker checker = healthChecker;
    if (checker != null) {
      checker.close();
    }
    client.close();
  }

  private CircuitBreaker newBreaker(Endpoint endpoint) {
    return CircuitBreaker.of(policy.circuitBreaker(), ticker, (from, to) -> {
      if (to == CircuitState.OPEN) {
        endpoint.reopenAtNanos = ticker.nanoTime() + policy.circuitBreaker().openDuration().toNanos();
      }
      stale = true;
      Listeners.circuitStateChange(listener, service, endpoint.instance, from, to);
    });
  }

  private synchronized EndpointSnapshot rebuild(long now) {
    stale = false;
    EndpointSnapshot built = Eligibility.snapshot(endpoints.values(), outliers, now, snapshot);
    snapshot = built;
    return built;
  }
}
