package io.meshwork.internal;

import io.meshwork.MeshListener;
import io.meshwork.NoHealthyInstanceException;
import io.meshwork.health.DestinationHealth;
import io.meshwork.health.InstanceHealth;
import io.meshwork.policy.ServicePolicy;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.registry.Subscription;
import io.meshwork.resilience.CircuitBreaker;
import io.meshwork.resilience.CircuitState;
import io.meshwork.resilience.OutlierDetectionConfig;
import io.meshwork.time.Ticker;
import io.meshwork.transport.TransportClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One service this mesh calls: its endpoints (fed by a registry watch), the snapshot the balancer
 * picks from, and outlier detection. Changes are serialized by the destination's lock; the hot path
 * only reads the volatile snapshot.
 */
final class Destination implements AutoCloseable {

  /** "Never" for {@link EndpointSnapshot#nextChangeNanos}, far enough to never overflow. */
  private static final long NEVER = 1L << 62;

  final String service;
  final ServicePolicy policy;
  final TransportClient client;
  private final Ticker ticker;
  private final MeshListener listener;
  private final Map<String, Endpoint> endpoints = new LinkedHashMap<>();
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
  }

  /** Starts active health checks; before the registry watch, so they see the first list. */
  void checkHealth(HealthChecker checker) {
    this.healthChecker = checker;
  }

  void subscribe(Subscription subscription) {
    this.subscription = subscription;
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
      }
      endpoint.instance = instance;
      endpoints.put(instance.id(), endpoint);
    }
    client.retain(instances);
    HealthChecker checker = healthChecker;
    if (checker != null) {
      checker.update(instances);
    }
    rebuild(ticker.nanoTime());
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

  /** The attempt on {@code endpoint} succeeded. */
  void onSuccess(Endpoint endpoint) {
    endpoint.breaker.onSuccess();
    if (endpoint.consecutiveFailures.get() != 0) {
      endpoint.consecutiveFailures.set(0);
    }
  }

  /** The attempt on {@code endpoint} failed at {@code now}. */
  void onFailure(Endpoint endpoint, long now) {
    endpoint.breaker.onFailure();
    OutlierDetectionConfig outlier = policy.outlierDetection();
    if (outlier.enabled() && endpoint.consecutiveFailures.incrementAndGet() >= outlier.consecutiveFailures()) {
      tryEject(endpoint, now);
    }
  }

  /** The attempt on {@code endpoint} ended without an outcome (cancelled). */
  void onIgnored(Endpoint endpoint) {
    endpoint.breaker.onIgnored();
  }

  synchronized DestinationHealth health(long now) {
    EndpointSnapshot current = snapshot(now);
    List<InstanceHealth> instances = new ArrayList<>();
    for (Endpoint endpoint : endpoints.values()) {
      long left = endpoint.ejected ? Math.max(0, endpoint.ejectedUntilNanos - now) : 0;
      instances.add(new InstanceHealth(endpoint.instance, endpoint.breaker.state(), Duration.ofNanos(left),
          endpoint.ejections, endpoint.consecutiveFailures.get()));
    }
    return new DestinationHealth(service, instances, current.instances.size(), current.panic);
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

  private synchronized void tryEject(Endpoint endpoint, long now) {
    if (endpoint.ejected) {
      return;
    }
    OutlierDetectionConfig config = policy.outlierDetection();
    int ejectedNow = 0;
    for (Endpoint other : endpoints.values()) {
      if (other.ejected && other.ejectedUntilNanos - now > 0) {
        ejectedNow++;
      }
    }
    int percent = config.maxEjectionPercent();
    int allowed = percent == 0 ? 0 : Math.max(1, endpoints.size() * percent / 100);
    if (ejectedNow >= allowed) {
      return;
    }
    long base = config.baseEjectionTime().toNanos();
    if (endpoint.ejections > 0) {
      // One past ejection is forgiven for each base ejection time spent behaving since.
      long forgiven = (now - endpoint.restoredAtNanos) / base;
      endpoint.ejections = (int) Math.max(0, endpoint.ejections - forgiven);
    }
    endpoint.ejections++;
    long duration = Math.min(base * endpoint.ejections, config.maxEjectionTime().toNanos());
    endpoint.ejected = true;
    endpoint.ejectedUntilNanos = now + duration;
    endpoint.consecutiveFailures.set(0);
    stale = true;
    Listeners.ejected(listener, service, endpoint.instance, Duration.ofNanos(duration));
  }

  private synchronized EndpointSnapshot rebuild(long now) {
    stale = false;
    List<Endpoint> healthy = new ArrayList<>();
    List<Endpoint> available = new ArrayList<>();
    long next = now + NEVER;
    for (Endpoint endpoint : endpoints.values()) {
      if (!endpoint.instance.isHealthy()) {
        continue;
      }
      healthy.add(endpoint);
      boolean excluded = false;
      if (endpoint.ejected) {
        if (now - endpoint.ejectedUntilNanos >= 0) {
          endpoint.ejected = false;
          endpoint.restoredAtNanos = now;
          Listeners.restored(listener, service, endpoint.instance);
        } else {
          excluded = true;
          next = earlier(next, endpoint.ejectedUntilNanos);
        }
      }
      if (endpoint.breaker.state() == CircuitState.OPEN) {
        excluded = true;
        next = earlier(next, endpoint.reopenAtNanos);
      }
      if (!excluded) {
        available.add(endpoint);
      }
    }
    int threshold = policy.outlierDetection().panicThresholdPercent();
    boolean panic = !healthy.isEmpty() && available.size() * 100 < threshold * healthy.size();
    List<Endpoint> chosen = panic ? healthy : available;
    List<ServiceInstance> instances = new ArrayList<>(chosen.size());
    Map<ServiceInstance, Endpoint> byInstance = new IdentityHashMap<>(chosen.size() * 2);
    for (Endpoint endpoint : chosen) {
      instances.add(endpoint.instance);
      byInstance.put(endpoint.instance, endpoint);
    }
    EndpointSnapshot previous = snapshot;
    // Keep the same list object when nothing changed, so the balancer keeps its picker.
    List<ServiceInstance> list = previous.instances.equals(instances) ? previous.instances : List.copyOf(instances);
    EndpointSnapshot built = new EndpointSnapshot(list, byInstance, next, endpoints.size(), healthy.size(), panic);
    snapshot = built;
    return built;
  }

  private static long earlier(long a, long b) {
    return a - b > 0 ? b : a;
  }
}
