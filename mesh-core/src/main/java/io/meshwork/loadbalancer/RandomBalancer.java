package io.meshwork.loadbalancer;

import io.meshwork.MeshRequest;
import io.meshwork.registry.ServiceInstance;
import java.util.Collection;
import java.util.random.RandomGenerator;

/** A uniformly random healthy instance. */
final class RandomBalancer extends SnapshotBalancer {

  private final RandomGenerator random;

  RandomBalancer(RandomGenerator random) {
    this.random = random;
  }

  @Override
  Picker newPicker(ServiceInstance[] instances) {
    return new Picker(instances) {
      @Override
      ServiceInstance pick(MeshRequest request, Collection<ServiceInstance> avoid) {
        return firstNotAvoided(random.nextInt(instances.length), avoid);
      }
    };
  }
}
