package io.meshwork.internal;

import io.meshwork.NoHealthyInstanceException;
import io.meshwork.loadbalancer.LoadBalancer;
import io.meshwork.registry.ServiceInstance;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;

/**
 * Where an attempt may go: a destination service, or one subset of its instances (a label
 * selector), with its own balancer and its own snapshot of the instances that may be picked. The
 * endpoints (their breakers, their outlier state) are the destination's, shared by its subsets.
 */
final class Target {

  private static final AtomicLongFieldUpdater<Target> BUILT =
      AtomicLongFieldUpdater.newUpdater(Target.class, "builtVersion");

  final Destination destination;
  /** The subset's name; null for every instance of the service. */
  final String subset;
  final LoadBalancer balancer;
  private final Map<String, String> selector;
  private volatile EndpointSnapshot snapshot = EndpointSnapshot.EMPTY;
  private volatile long builtVersion = -1;

  Target(Destination destination, String subset, Map<String, String> selector, LoadBalancer balancer) {
    this.destination = destination;
    this.subset = subset;
    this.selector = selector;
    this.balancer = balancer;
  }

  /** The snapshot to pick from at {@code now}, rebuilt first if the destination changed since. */
  EndpointSnapshot snapshot(long now) {
    EndpointSnapshot current = snapshot;
    if (builtVersion != destination.version() || now - current.nextChangeNanos >= 0) {
      current = destination.rebuild(this, now);
    }
    return current;
  }

  /** The last snapshot built, whatever its age. */
  EndpointSnapshot lastSnapshot() {
    return snapshot;
  }

  /** Publishes a snapshot built from the destination as it was at {@code version}. */
  void publish(EndpointSnapshot built, long version) {
    snapshot = built;
    BUILT.set(this, version);
  }

  /** Whether {@code instance} belongs to this target. */
  boolean selects(ServiceInstance instance) {
    for (Map.Entry<String, String> label : selector.entrySet()) {
      if (!label.getValue().equals(instance.labels().get(label.getKey()))) {
        return false;
      }
    }
    return true;
  }

  boolean isWholeService() {
    return selector.isEmpty();
  }

  /** The failure to report when {@code current} has nothing to pick. */
  NoHealthyInstanceException noInstance(EndpointSnapshot current) {
    String service = destination.service;
    if (subset == null) {
      return current.registered == 0
          ? new NoHealthyInstanceException(service, "no instance registered")
          : new NoHealthyInstanceException(service, "no healthy instance (" + current.registered
              + " registered, " + current.healthy + " healthy)");
    }
    return current.registered == 0
        ? new NoHealthyInstanceException(service, "no instance of subset " + subset + " " + selector
            + " registered (" + destination.registered() + " registered in all)")
        : new NoHealthyInstanceException(service, "no healthy instance in subset " + subset + " ("
            + current.registered + " in the subset, " + current.healthy + " healthy)");
  }

  @Override
  public String toString() {
    return destination.service + (subset == null ? "" : "/" + subset);
  }
}
