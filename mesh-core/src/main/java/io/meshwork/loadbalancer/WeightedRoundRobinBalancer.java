package io.meshwork.loadbalancer;

import io.meshwork.MeshRequest;
import io.meshwork.registry.ServiceInstance;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Smooth weighted round robin, as nginx. The smooth order of one whole cycle is computed when the
 * instances change; picking is then one atomic increment and an array read, with no lock.
 */
final class WeightedRoundRobinBalancer extends SnapshotBalancer {

  /** Longest precomputed cycle; heavier weight sets are scaled down to fit, keeping proportions. */
  static final int MAX_CYCLE = 1 << 16;

  private final AtomicLong next = new AtomicLong();

  @Override
  boolean pickable(ServiceInstance instance) {
    return instance.weight() > 0;
  }

  @Override
  Picker newPicker(ServiceInstance[] instances) {
    int[] order = smoothOrder(weights(instances));
    return new Picker(instances) {
      @Override
      ServiceInstance pick(MeshRequest request, String hashKey, Collection<ServiceInstance> avoid) {
        return firstNotAvoided(order[Math.floorMod(next.getAndIncrement(), order.length)], avoid);
      }
    };
  }

  /** The weights divided by their common divisor, scaled to fit {@link #MAX_CYCLE}. */
  static int[] weights(ServiceInstance[] instances) {
    int[] weights = new int[instances.length];
    int gcd = 0;
    long total = 0;
    for (int i = 0; i < instances.length; i++) {
      weights[i] = instances[i].weight();
      gcd = gcd(gcd, weights[i]);
      total += weights[i];
    }
    total /= gcd;
    double scale = total > MAX_CYCLE ? (double) MAX_CYCLE / total : 1.0;
    for (int i = 0; i < weights.length; i++) {
      weights[i] = Math.max(1, (int) Math.round(weights[i] / gcd * scale));
    }
    return weights;
  }

  /** nginx's smooth order: each step adds every weight, picks the largest and takes the total off it. */
  static int[] smoothOrder(int[] weights) {
    int total = 0;
    for (int weight : weights) {
      total += weight;
    }
    int[] order = new int[total];
    long[] current = new long[weights.length];
    for (int step = 0; step < total; step++) {
      int best = 0;
      for (int i = 0; i < weights.length; i++) {
        current[i] += weights[i];
        if (current[i] > current[best]) {
          best = i;
        }
      }
      current[best] -= total;
      order[step] = best;
    }
    return order;
  }

  private static int gcd(int a, int b) {
    while (b != 0) {
      int t = a % b;
      a = b;
      b = t;
    }
    return a;
  }
}
