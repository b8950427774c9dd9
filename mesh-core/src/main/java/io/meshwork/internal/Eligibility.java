package io.meshwork.internal;

import io.meshwork.registry.ServiceInstance;
import io.meshwork.resilience.CircuitState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one place that decides which instances of a destination may be picked: healthy in the
 * registry (which active health checks write to), not ejected by outlier detection, and not
 * circuit-open. When fewer than the panic threshold of the healthy instances pass, panic mode picks
 * among all healthy instances instead, ejected and circuit-open ones included (Envoy's panic
 * routing): one bad path cannot cut a service off entirely. Either way, instances that could not be
 * connected to lately ({@link Reachability}) are left out while any other is left to pick.
 */
final class Eligibility {

  /** "Never" for {@link EndpointSnapshot#nextChangeNanos}, far enough to never overflow. */
  private static final long NEVER = 1L << 62;

  private Eligibility() {}

  /** The snapshot to pick from at {@code now}; {@code previous} keeps its list when nothing changed. */
  static EndpointSnapshot snapshot(Collection<Endpoint> endpoints, OutlierDetector outliers,
      long now, EndpointSnapshot previous) {
    List<Endpoint> healthy = new ArrayList<>();
    List<Endpoint> available = new ArrayList<>();
    List<Endpoint> unreachable = new ArrayList<>(0);
    long next = now + NEVER;
    for (Endpoint endpoint : endpoints) {
      if (!endpoint.instance.isHealthy()) {
        continue;
      }
      healthy.add(endpoint);
      long unreachableUntil = Reachability.unreachableUntil(endpoint, now);
      if (unreachableUntil != Long.MIN_VALUE) {
        unreachable.add(endpoint);
        next = earlier(next, unreachableUntil);
      }
      boolean excluded = false;
      long ejectedUntil = outliers.ejectedUntil(endpoint, now);
      if (ejectedUntil != Long.MIN_VALUE) {
        excluded = true;
        next = earlier(next, ejectedUntil);
      }
      if (endpoint.breaker.state() == CircuitState.OPEN) {
        excluded = true;
        next = earlier(next, endpoint.reopenAtNanos);
      }
      if (!excluded) {
        available.add(endpoint);
      }
    }
    int threshold = outliers.config().panicThresholdPercent();
    boolean panic = !healthy.isEmpty() && available.size() * 100 < threshold * healthy.size();
    List<Endpoint> chosen = panic ? healthy : available;
    if (!unreachable.isEmpty()) {
      List<Endpoint> reachable = new ArrayList<>(chosen);
      reachable.removeAll(unreachable);
      chosen = reachable.isEmpty() ? chosen : reachable;
    }
    List<ServiceInstance> instances = new ArrayList<>(chosen.size());
    for (Endpoint endpoint : chosen) {
      instances.add(endpoint.instance);
    }
    // Keep the same list object when nothing changed, so the balancer keeps its picker; endpoints
    // are then found by the objects of that list, whatever objects the registry sent since.
    List<ServiceInstance> list = previous.instances.equals(instances) ? previous.instances : List.copyOf(instances);
    Map<ServiceInstance, Endpoint> byInstance = new IdentityHashMap<>(chosen.size() * 2);
    for (int i = 0; i < list.size(); i++) {
      byInstance.put(list.get(i), chosen.get(i));
    }
    return new EndpointSnapshot(list, byInstance, next, endpoints.size(), healthy.size(), panic);
  }

  private static long earlier(long a, long b) {
    return a - b > 0 ? b : a;
  }
}
