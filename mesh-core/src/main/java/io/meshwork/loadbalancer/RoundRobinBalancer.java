package io.meshwork.loadbalancer;

import io.meshwork.MeshRequest;
import io.meshwork.registry.ServiceInstance;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicLong;

/** Round robin in list order. The counter is a long taken modulo the list size: it never wraps. */
final class RoundRobinBalancer extends SnapshotBalancer {

  private final AtomicLong next;

  RoundRobinBalancer(long start) {
    this.next = new AtomicLong(start);
  }

  @Override
  Picker newPicker(ServiceInstance[] instances) {
    return new Picker(instances) {
      @Override
      ServiceInstance pick(MeshRequest request, String hashKey, Collection<ServiceInstance> avoid) {
        return firstNotAvoided(Math.floorMod(next.getAndIncrement(), instances.length), avoid);
      }
    };
  }
}
