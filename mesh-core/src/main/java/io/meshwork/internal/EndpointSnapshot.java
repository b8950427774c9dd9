package io.meshwork.internal;

import io.meshwork.registry.ServiceInstance;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The instances the balancer may pick from now, as one immutable value: healthy, not ejected and
 * not circuit-open (or all healthy ones in panic). Rebuilt when the registry, an ejection or a
 * breaker changes, or when {@link #nextChangeNanos} passes.
 */
final class EndpointSnapshot {

  static final EndpointSnapshot EMPTY =
      new EndpointSnapshot(List.of(), new IdentityHashMap<>(), Long.MIN_VALUE, 0, 0, false);

  final List<ServiceInstance> instances;
  private final Map<ServiceInstance, Endpoint> endpoints;
  /** When an ejection or open breaker ends and the snapshot must be rebuilt. */
  final long nextChangeNanos;
  final int registered;
  final int healthy;
  final boolean panic;

  EndpointSnapshot(List<ServiceInstance> instances, Map<ServiceInstance, Endpoint> endpoints,
      long nextChangeNanos, int registered, int healthy, boolean panic) {
    this.instances = instances;
    this.endpoints = endpoints;
    this.nextChangeNanos = nextChangeNanos;
    this.registered = registered;
    this.healthy = healthy;
    this.panic = panic;
  }

  /** The endpoint of an instance of {@link #instances}, by identity; null for any other object. */
  Endpoint endpoint(ServiceInstance instance) {
    return endpoints.get(instance);
  }
}
