package io.meshwork.loadbalancer;

import io.meshwork.registry.HealthStatus;
import io.meshwork.registry.ServiceInstance;
import java.util.ArrayList;
import java.util.List;

/** Instances for balancer tests. */
final class Instances {

  private Instances() {}

  static ServiceInstance healthy(String id) {
    return ServiceInstance.builder("svc", id).host("10.0.0." + (Math.abs(id.hashCode()) % 250 + 1))
        .port(8080).build();
  }

  static ServiceInstance weighted(String id, int weight) {
    return healthy(id).toBuilder().weight(weight).build();
  }

  static ServiceInstance unhealthy(String id) {
    return healthy(id).withHealth(HealthStatus.UNHEALTHY);
  }

  static List<ServiceInstance> named(int count) {
    List<ServiceInstance> list = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      list.add(healthy("i" + i));
    }
    return List.copyOf(list);
  }
}
