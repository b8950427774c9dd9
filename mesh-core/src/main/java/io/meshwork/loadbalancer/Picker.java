package io.meshwork.loadbalancer;

import io.meshwork.MeshRequest;
import io.meshwork.registry.ServiceInstance;
import java.util.Collection;
import java.util.List;

/**
 * An immutable snapshot that picks among a fixed array of instances. Picking takes no lock;
 * any counters it touches are atomics owned by its balancer.
 */
abstract class Picker {

  static final Picker EMPTY = empty();

  /**
   * The list this snapshot was built from, compared by identity on the hot path. Set once by the
   * balancer before the picker is published through its volatile field.
   */
  List<ServiceInstance> source = List.of();
  final ServiceInstance[] instances;

  Picker(ServiceInstance[] instances) {
    this.instances = instances;
  }

  /**
   * Picks one instance, preferring one not in {@code avoid}; the array is never empty. {@code hashKey}
   * is the call's consistent-hashing key, or null.
   */
  abstract ServiceInstance pick(MeshRequest request, String hashKey, Collection<ServiceInstance> avoid);

  /** A picker with no instance. */
  static Picker empty() {
    return new Picker(new ServiceInstance[0]) {
      @Override
      ServiceInstance pick(MeshRequest request, String hashKey, Collection<ServiceInstance> avoid) {
        return null;
      }
    };
  }

  final int size() {
    return instances.length;
  }

  /**
   * Starting at {@code index}, the first instance not in {@code avoid}, walking forward; the
   * instance at {@code index} when every one is avoided.
   */
  final ServiceInstance firstNotAvoided(int index, Collection<ServiceInstance> avoid) {
    if (avoid.isEmpty()) {
      return instances[index];
    }
    int n = instances.length;
    for (int step = 0; step < n; step++) {
      ServiceInstance candidate = instances[(index + step) % n];
      if (!avoid.contains(candidate)) {
        return candidate;
      }
    }
    return instances[index];
  }
}
