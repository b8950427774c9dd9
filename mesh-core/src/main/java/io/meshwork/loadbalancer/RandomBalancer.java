package io.meshwork.loadbalancer;

import io.meshwork.MeshRequest;
import io.meshwork.registry.ServiceInstance;
import java.util.Collection;
import java.util.random.RandomGenerator;

/** A uniformly random instance. */
final class RandomBalancer extends SnapshotBalancer {

  /** The random source given at creation, or null to take the mesh's. */
  private final RandomGenerator given;
  private final RandomGenerator random;

  RandomBalancer(RandomGenerator random) {
    this.given = random;
    this.random = random != null ? random : Randoms.threadLocal();
  }

  @Override
  public LoadBalancer bind(BalancerEnvironment environment) {
    return given != null ? this : new RandomBalancer(environment.random());
  }

  @Override
  Picker newPicker(ServiceInstance[] instances) {
    return new Picker(instances) {
      @Override
      ServiceInstance pick(MeshRequest request, String hashKey, Collection<ServiceInstance> avoid) {
        return firstNotAvoided(random.nextInt(instances.length), avoid);
      }
    };
  }
}
