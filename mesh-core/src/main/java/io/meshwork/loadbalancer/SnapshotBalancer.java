package io.meshwork.loadbalancer;

import io.meshwork.MeshRequest;
import io.meshwork.registry.ServiceInstance;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The base of the built-in balancers: keeps an immutable {@link Picker} built from the last instance
 * list seen (gRPC's picker pattern). Picking reads the snapshot without a lock; a new list (by
 * identity) rebuilds it under the balancer's lock. Which instances may be picked is decided before
 * the balancer; a balancer only drops those its own rule cannot pick (weight 0 for weighted ones).
 */
abstract class SnapshotBalancer implements LoadBalancer {

  private volatile Picker picker = Picker.EMPTY;

  /** Builds a picker over {@code instances}, non-empty. */
  abstract Picker newPicker(ServiceInstance[] instances);

  /** Whether this balancer's rule can pick the instance at all; weighted balancers drop weight 0. */
  boolean pickable(ServiceInstance instance) {
    return true;
  }

  @Override
  public final Optional<ServiceInstance> select(List<ServiceInstance> instances, MeshRequest request) {
    return Optional.ofNullable(pick(instances, request, null, List.of()));
  }

  @Override
  public final ServiceInstance pick(List<ServiceInstance> instances, MeshRequest request, String hashKey,
      Collection<ServiceInstance> avoid) {
    Picker current = picker;
    if (current.source != instances) {
      current = refresh(instances);
    }
    return current.size() == 0 ? null : current.pick(request, hashKey, avoid);
  }

  @Override
  public final void recordSuccess(ServiceInstance instance, Duration latency) {
    onRecord(instance, true, latency.toNanos(), Long.MIN_VALUE);
  }

  @Override
  public final void recordFailure(ServiceInstance instance, Throwable cause) {
    onRecord(instance, false, -1, Long.MIN_VALUE);
  }

  @Override
  public final void recordSuccess(ServiceInstance instance, long latencyNanos, long endNanos) {
    onRecord(instance, true, latencyNanos, endNanos);
  }

  @Override
  public final void recordFailure(ServiceInstance instance, Throwable cause, long latencyNanos, long endNanos) {
    onRecord(instance, false, latencyNanos, endNanos);
  }

  /**
   * Learns from one outcome; latency is negative when unknown, and {@code endNanos} is
   * {@link Long#MIN_VALUE} when the caller did not say when the attempt ended. Stateless balancers
   * ignore it.
   */
  void onRecord(ServiceInstance instance, boolean success, long latencyNanos, long endNanos) {}

  /** The instances of the current snapshot were replaced by {@code instances}; drop stale state. */
  void retain(ServiceInstance[] instances) {}

  private synchronized Picker refresh(List<ServiceInstance> instances) {
    Picker current = picker;
    if (current.source == instances) {
      return current;
    }
    List<ServiceInstance> usable = new ArrayList<>(instances.size());
    for (ServiceInstance instance : instances) {
      if (pickable(instance)) {
        usable.add(instance);
      }
    }
    ServiceInstance[] array = usable.toArray(new ServiceInstance[0]);
    retain(array);
    current = array.length == 0 ? Picker.empty() : newPicker(array);
    current.source = instances;
    picker = current;
    return current;
  }
}
