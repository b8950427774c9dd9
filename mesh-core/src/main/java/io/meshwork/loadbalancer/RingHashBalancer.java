package io.meshwork.loadbalancer;

import io.meshwork.MeshRequest;
import io.meshwork.registry.ServiceInstance;
import java.util.Arrays;
import java.util.Collection;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * Consistent hashing on a ring of virtual nodes (Ketama). Each instance owns points placed by the
 * hash of its id, {@value #POINTS_PER_WEIGHT} per unit of weight; a key goes to the owner of the
 * first point at or after the key's hash. An instance's points do not depend on the others, so
 * removing an instance moves only the keys it owned. Rings that would pass {@value #MAX_RING} points
 * are scaled down, which keeps the proportions but not that guarantee.
 */
final class RingHashBalancer extends SnapshotBalancer {

  /** Points per unit of weight: enough for an even spread. */
  static final int POINTS_PER_WEIGHT = 100;
  static final int MAX_RING = 1 << 20;

  private final Function<MeshRequest, String> key;
  private final RandomGenerator random;
  private final boolean bound;

  /** A null random source: the mesh's once {@link #bind} gives it. */
  RingHashBalancer(Function<MeshRequest, String> key, RandomGenerator random) {
    this.key = key;
    this.random = random != null ? random : Randoms.threadLocal();
    this.bound = random != null;
  }

  @Override
  public LoadBalancer bind(BalancerEnvironment environment) {
    return bound ? this : new RingHashBalancer(key, environment.random());
  }

  @Override
  boolean pickable(ServiceInstance instance) {
    return instance.weight() > 0;
  }

  @Override
  Picker newPicker(ServiceInstance[] instances) {
    Ring ring = Ring.build(instances);
    return new Picker(instances) {
      @Override
      ServiceInstance pick(MeshRequest request, String hashKey, Collection<ServiceInstance> avoid) {
        String value = hashKey != null ? hashKey : key.apply(request);
        if (value == null) {
          return firstNotAvoided(random.nextInt(instances.length), avoid);
        }
        return instances[ring.owner(Hashing.hash64(value), instances, avoid)];
      }
    };
  }

  /** Sorted point hashes and the index of each point's owner. */
  record Ring(long[] points, int[] owners) {

    static Ring build(ServiceInstance[] instances) {
      long totalWeight = 0;
      for (ServiceInstance instance : instances) {
        totalWeight += instance.weight();
      }
      double scale = Math.min(1.0, (double) MAX_RING / (POINTS_PER_WEIGHT * (double) totalWeight));
      int[] counts = new int[instances.length];
      int size = 0;
      for (int i = 0; i < instances.length; i++) {
        counts[i] = (int) Math.max(1, Math.round(POINTS_PER_WEIGHT * instances[i].weight() * scale));
        size += counts[i];
      }
      long[] points = new long[size];
      long[] hashes = new long[size];
      int at = 0;
      for (int i = 0; i < instances.length; i++) {
        for (int point = 0; point < counts[i]; point++) {
          hashes[at++] = Hashing.hash64(instances[i].id() + "#" + point);
        }
      }
      // Sort the hashes with their owners: sort indexes by hash.
      Integer[] order = new Integer[size];
      int[] ownerOf = new int[size];
      at = 0;
      for (int i = 0; i < instances.length; i++) {
        for (int point = 0; point < counts[i]; point++) {
          ownerOf[at] = i;
          order[at] = at;
          at++;
        }
      }
      Arrays.sort(order, (x, y) -> {
        int byHash = Long.compare(hashes[x], hashes[y]);
        // Equal hashes (rare) are ordered by instance id, so every balancer builds the same ring.
        return byHash != 0 ? byHash : instances[ownerOf[x]].id().compareTo(instances[ownerOf[y]].id());
      });
      int[] owners = new int[size];
      for (int i = 0; i < size; i++) {
        points[i] = hashes[order[i]];
        owners[i] = ownerOf[order[i]];
      }
      return new Ring(points, owners);
    }

    /** The owner of the first point at or after {@code hash}, skipping avoided instances. */
    int owner(long hash, ServiceInstance[] instances, Collection<ServiceInstance> avoid) {
      int index = Arrays.binarySearch(points, hash);
      if (index < 0) {
        index = -index - 1;
      }
      if (index == points.length) {
        index = 0;
      }
      int first = owners[index];
      if (avoid.isEmpty() || !avoid.contains(instances[first])) {
        return first;
      }
      for (int step = 1; step < points.length; step++) {
        int owner = owners[(index + step) % points.length];
        if (!avoid.contains(instances[owner])) {
          return owner;
        }
      }
      return first;
    }
  }
}
