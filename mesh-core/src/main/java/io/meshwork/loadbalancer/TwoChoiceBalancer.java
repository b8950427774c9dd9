package io.meshwork.loadbalancer;

import io.meshwork.MeshRequest;
import io.meshwork.registry.ServiceInstance;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;

/**
 * Power of two choices: of two distinct random instances, the one with the lower {@link #load}.
 * The chosen instance's in-flight count rises at the pick and falls at its record.
 */
abstract class TwoChoiceBalancer extends SnapshotBalancer {

  private final RandomGenerator random;
  private final Map<String, LoadStats> stats = new ConcurrentHashMap<>();

  TwoChoiceBalancer(RandomGenerator random) {
    this.random = random;
  }

  /** The load of an instance at {@code now}: lower is better. */
  abstract double load(LoadStats stats, long now);

  /** The time loads are computed at; read once per pick. Balancers that ignore time return 0. */
  long now() {
    return 0;
  }

  /**
   * Learns from a finished call; its in-flight slot is already released. {@code endNanos} is when
   * it ended on the balancer's ticker ({@link Long#MIN_VALUE} when the caller did not say).
   */
  void learn(LoadStats stats, boolean success, long latencyNanos, long endNanos) {}

  @Override
  final Picker newPicker(ServiceInstance[] instances) {
    LoadStats[] loads = new LoadStats[instances.length];
    for (int i = 0; i < instances.length; i++) {
      loads[i] = stats.computeIfAbsent(instances[i].id(), id -> new LoadStats());
    }
    return new Picker(instances) {
      @Override
      ServiceInstance pick(MeshRequest request, String hashKey, Collection<ServiceInstance> avoid) {
        int chosen = choose(instances, loads, avoid, now());
        loads[chosen].inFlight.incrementAndGet();
        return instances[chosen];
      }
    };
  }

  @Override
  final void onRecord(ServiceInstance instance, boolean success, long latencyNanos, long endNanos) {
    LoadStats load = stats.get(instance.id());
    if (load != null) {
      load.release();
      learn(load, success, latencyNanos, endNanos);
    }
  }

  /** What the balancer knows of an instance id now; null when it has none. For tests. */
  final LoadStats statsOf(String instanceId) {
    return stats.get(instanceId);
  }

  @Override
  final void retain(ServiceInstance[] instances) {
    Set<String> ids = new HashSet<>();
    for (ServiceInstance instance : instances) {
      ids.add(instance.id());
    }
    stats.keySet().retainAll(ids);
  }

  private int choose(ServiceInstance[] instances, LoadStats[] loads, Collection<ServiceInstance> avoid,
      long now) {
    int n = instances.length;
    if (n == 1) {
      return 0;
    }
    // Both choices from one random long: high and low halves scaled by multiply-shift, no division.
    long bits = random.nextLong();
    int a = (int) (((bits >>> 32) * n) >>> 32);
    int b = (int) (((bits & 0xffffffffL) * (n - 1)) >>> 32);
    if (b >= a) {
      b++;
    }
    if (!avoid.isEmpty()) {
      boolean avoidA = avoid.contains(instances[a]);
      boolean avoidB = avoid.contains(instances[b]);
      if (avoidA && avoidB) {
        return leastLoadedNotAvoided(instances, loads, avoid, a, now);
      }
      if (avoidA || avoidB) {
        return avoidA ? b : a;
      }
    }
    return load(loads[b], now) < load(loads[a], now) ? b : a;
  }

  /** Both choices were tried already: the least loaded instance not tried, or {@code fallback}. */
  private int leastLoadedNotAvoided(ServiceInstance[] instances, LoadStats[] loads,
      Collection<ServiceInstance> avoid, int fallback, long now) {
    int best = -1;
    double bestLoad = Double.MAX_VALUE;
    for (int i = 0; i < instances.length; i++) {
      if (!avoid.contains(instances[i])) {
        double load = load(loads[i], now);
        if (best < 0 || load < bestLoad) {
          best = i;
          bestLoad = load;
        }
      }
    }
    return best < 0 ? fallback : best;
  }
}
