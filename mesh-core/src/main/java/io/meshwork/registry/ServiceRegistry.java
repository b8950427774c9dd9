package io.meshwork.registry;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Where the instances of every service are registered and discovered. Mutations are asynchronous;
 * reads answer from what the registry knows now. A remote registry that learns of a service only when
 * it is first asked for it (as the etcd one does, so that a process holds only what it calls) may
 * read its store that first time, within its own timeout, and fails rather than answer an empty list
 * it does not know to be true; later reads never wait for the store.
 */
public interface ServiceRegistry extends AutoCloseable {

  /** Registers an instance; an instance with the same service and id is replaced. */
  CompletableFuture<Void> register(ServiceInstance instance);

  /** Removes that one instance; other instances of the service stay. Unknown ids are a no-op. */
  CompletableFuture<Void> deregister(String service, String instanceId);

  /**
   * Sets the health of one registered instance, as active health checks do; unknown ids are a
   * no-op. The default re-registers the instance with the new health; a remote registry should keep
   * the instance's ownership (its lease) as it is.
   */
  default CompletableFuture<Void> updateHealth(String service, String instanceId, HealthStatus health) {
    for (ServiceInstance instance : instances(service)) {
      if (instance.id().equals(instanceId)) {
        return instance.health() == health ? CompletableFuture.completedFuture(null)
            : register(instance.withHealth(health));
      }
    }
    return CompletableFuture.completedFuture(null);
  }

  /** The healthy instances of the service; empty when there is none. */
  List<ServiceInstance> discover(String service);

  /** Every instance of the service, whatever its health. */
  List<ServiceInstance> instances(String service);

  /**
   * Calls {@code listener} with every instance of the service (any health) now (a remote registry
   * reading the service for the first time: once that read is in), and again with the new list after
   * every change, in order. A listener that throws is logged and keeps its watch.
   */
  Subscription watch(String service, Consumer<List<ServiceInstance>> listener);

  /** Releases what the registry holds; instances it registered stay registered unless it says so. */
  @Override
  default void close() {}
}
