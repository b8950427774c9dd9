package io.meshwork.internal;

import io.meshwork.MeshListener;
import io.meshwork.health.DestinationHealth;
import io.meshwork.health.InstanceHealth;
import io.meshwork.health.InstanceState;
import io.meshwork.loadbalancer.BalancerEnvironment;
import io.meshwork.policy.ServicePolicy;
import io.meshwork.registry.HealthStatus;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.registry.Subscription;
import io.meshwork.resilience.CircuitBreaker;
import io.meshwork.resilience.CircuitState;
import io.meshwork.time.Ticker;
import io.meshwork.transport.TransportClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * One service this mesh calls: its endpoints, fed by a registry watch, and the {@link Target}s that
 * pick among them (the whole service, and each subset a route asked for). {@link Eligibility}
 * decides which endpoints may be picked. Outcomes go to each endpoint's breaker and to the
 * destination's {@link OutlierDetector}. Changes are serialized by the destination's lock and bump
 * its version; the hot path reads a target's volatile snapshot and compares versions.
 */
final class Destination implements AutoCloseable {

  final String service;
  volatile ServicePolicy policy;
  volatile TransportClient client;
  volatile OutlierDetector outliers;
  final Reachability reachability;
  private final Ticker ticker;
  private final MeshListener listener;
  private final BalancerEnvironment balancers;
  private final Map<String, Endpoint> endpoints = new LinkedHashMap<>();
  private final AtomicLong version = new AtomicLong();
  private volatile Target all;
  private final Map<String, Target> subsets = new ConcurrentHashMap<>();
  private final CompletableFuture<List<ServiceInstance>> firstList = new CompletableFuture<>();
  private volatile Subscription subscription;
  private volatile HealthChecker healthChecker;

  Destination(String service, ServicePolicy policy, TransportClient client, Ticker ticker,
      MeshListener listener, BalancerEnvironment balancers) {
    this.service = service;
    this.policy = policy;
    this.client = client;
    this.ticker = ticker;
    this.listener = listener;
    this.balancers = balancers;
    this.outliers = new OutlierDetector(service, policy.outlierDetection(), listener, version::incrementAndGet,
        ticker.nanoTime());
    this.reachability = new Reachability(version::incrementAndGet);
    this.all = new Target(this, null, Map.of(), policy.loadBalancer().get().bind(balancers));
  }

  /**
   * Takes {@code next} as the destination's policy, keeping the per-instance state that still
   * applies: breakers when their config is the same, ejections always (they live in the endpoints),
   * balancers (and their latency state) when the balancer is the same, subsets whose selector is the
   * same, the transport client unless {@code client} is a new one. Calls in flight go on with what
   * they hold. Returns the client replaced, or null.
   */
  synchronized TransportClient reconfigure(ServicePolicy next, TransportClient nextClient, HealthChecker checker) {
    ServicePolicy old = policy;
    policy = next;
    if (!next.circuitBreaker().equals(old.circuitBreaker())) {
      for (Endpoint endpoint : endpoints.values()) {
        endpoint.breaker = newBreaker(endpoint);
      }
    }
    if (!next.outlierDetection().equals(old.outlierDetection())) {
      OutlierDetector detector = new OutlierDetector(service, next.outlierDetection(), listener,
          version::incrementAndGet, ticker.nanoTime());
      detector.endpoints(endpoints.values());
      outliers = detector;
    }
    if (!next.loadBalancer().equals(old.loadBalancer())) {
      all = new Target(this, null, Map.of(), next.loadBalancer().get().bind(balancers));
      subsets.clear();
    } else {
      subsets.entrySet().removeIf(entry ->
          !Objects.equals(next.subsets().get(entry.getKey()), old.subsets().get(entry.getKey())));
    }
    TransportClient replaced = null;
    if (nextClient != null) {
      replaced = client;
      client = nextClient;
      List<ServiceInstance> instances = new ArrayList<>();
      endpoints.values().forEach(endpoint -> instances.add(endpoint.instance));
      nextClient.retain(instances);
    }
    if (!next.healthCheck().equals(old.healthCheck())) {
      HealthChecker previous = healthChecker;
      if (previous != null) {
        previous.close();
      }
      healthChecker = checker;
      if (checker != null) {
        List<ServiceInstance> instances = new ArrayList<>();
        endpoints.values().forEach(endpoint -> instances.add(endpoint.instance));
        checker.update(instances);
      }
    }
    version.incrementAndGet();
    return replaced;
  }

  /** Every instance of the service. */
  Target all() {
    return all;
  }

  /**
   * The instances of subset {@code name}, as this service's policy declares it; null when the
   * policy declares no such subset.
   */
  Target subset(String name) {
    ServicePolicy current = policy;
    Map<String, String> selector = current.subsets().get(name);
    if (selector == null) {
      return null;
    }
    return subsets.computeIfAbsent(name, subset ->
        new Target(this, subset, selector, current.loadBalancer().get().bind(balancers)));
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

  long version() {
    return version.get();
  }

  synchronized int registered() {
    return endpoints.size();
  }

  /** How many registered instances have {@code health}: the registry gauge of the metrics. */
  synchronized int count(HealthStatus health) {
    int count = 0;
    for (Endpoint endpoint : endpoints.values()) {
      if (endpoint.instance.health() == health) {
        count++;
      }
    }
    return count;
  }

  /** Each registered instance's address and its breaker's state, for the breaker gauges. */
  synchronized Map<String, Supplier<CircuitState>> breakers() {
    Map<String, Supplier<CircuitState>> states = new LinkedHashMap<>();
    for (Endpoint endpoint : endpoints.values()) {
      CircuitBreaker breaker = endpoint.breaker;
      states.put(endpoint.instance.address(), breaker::state);
    }
    return states;
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
    version.incrementAndGet();
    firstList.complete(instances);
  }

  /** Builds {@code target}'s snapshot from the endpoints as they are now. */
  synchronized EndpointSnapshot rebuild(Target target, long now) {
    long current = version.get();
    Collection<Endpoint> chosen = endpoints.values();
    if (!target.isWholeService()) {
      List<Endpoint> selected = new ArrayList<>();
      for (Endpoint endpoint : chosen) {
        if (target.selects(endpoint.instance)) {
          selected.add(endpoint);
        }
      }
      chosen = selected;
    }
    EndpointSnapshot built = Eligibility.snapshot(chosen, outliers, now, target.lastSnapshot());
    // An ejection that ended in Eligibility bumped the version: publish the version read before.
    target.publish(built, current);
    return built;
  }

  synchronized DestinationHealth health(long now) {
    outliers.evaluateIfDue(now);
    EndpointSnapshot current = all.snapshot(now);
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
    } else if (Reachability.unreachableUntil(endpoint, now) != Long.MIN_VALUE) {
      state = InstanceState.UNREACHABLE;
      left = Reachability.unreachableUntil(endpoint, now) - now;
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
    ServicePolicy current = policy;
    return CircuitBreaker.of(current.circuitBreaker(), ticker, (from, to) -> {
      if (to == CircuitState.OPEN) {
        endpoint.reopenAtNanos = ticker.nanoTime() + current.circuitBreaker().openDuration().toNanos();
      }
      version.incrementAndGet();
      Listeners.circuitStateChange(listener, service, endpoint.instance, from, to);
    });
  }
}
