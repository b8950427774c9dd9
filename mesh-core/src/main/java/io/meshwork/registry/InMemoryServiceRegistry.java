package io.meshwork.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A registry held in this process: for a single process and for tests. Listeners are called on the
 * thread that made the change, while the service's entry is locked, so they see changes in order.
 */
public final class InMemoryServiceRegistry implements ServiceRegistry {

  private static final Logger log = LoggerFactory.getLogger(InMemoryServiceRegistry.class);

  private final Map<String, Entry> services = new ConcurrentHashMap<>();

  @Override
  public CompletableFuture<Void> register(ServiceInstance instance) {
    Objects.requireNonNull(instance, "instance");
    entry(instance.service()).update(list -> {
      for (int i = 0; i < list.size(); i++) {
        if (list.get(i).id().equals(instance.id())) {
          list.set(i, instance);
          return;
        }
      }
      list.add(instance);
    });
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<Void> deregister(String service, String instanceId) {
    Objects.requireNonNull(instanceId, "instanceId");
    entry(service).update(list -> list.removeIf(existing -> existing.id().equals(instanceId)));
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public List<ServiceInstance> discover(String service) {
    List<ServiceInstance> healthy = new ArrayList<>();
    for (ServiceInstance instance : instances(service)) {
      if (instance.isHealthy()) {
        healthy.add(instance);
      }
    }
    return List.copyOf(healthy);
  }

  @Override
  public List<ServiceInstance> instances(String service) {
    Entry entry = services.get(Objects.requireNonNull(service, "service"));
    return entry == null ? List.of() : entry.instances;
  }

  @Override
  public Subscription watch(String service, Consumer<List<ServiceInstance>> listener) {
    Objects.requireNonNull(listener, "listener");
    Entry entry = entry(service);
    synchronized (entry) {
      entry.listeners.add(listener);
      notify(service, listener, entry.instances);
    }
    return () -> entry.listeners.remove(listener);
  }

  private Entry entry(String service) {
    return services.computeIfAbsent(Objects.requireNonNull(service, "service"), Entry::new);
  }

  private static void notify(String service, Consumer<List<ServiceInstance>> listener,
      List<ServiceInstance> instances) {
    try {
      listener.accept(instances);
    } catch (RuntimeException e) {
      log.warn("registry listener of {} failed; it stays subscribed", service, e);
    }
  }

  /** One service: an immutable snapshot replaced under the entry's lock. */
  private static final class Entry {
    private final String service;
    private final List<Consumer<List<ServiceInstance>>> listeners = new CopyOnWriteArrayList<>();
    private volatile List<ServiceInstance> instances = List.of();

    Entry(String service) {
      this.service = service;
    }

    synchronized void update(Consumer<List<ServiceInstance>> change) {
      List<ServiceInstance> next = new ArrayList<>(instances);
      change.accept(next);
      if (next.equals(instances)) {
        return; // nothing changed: no notification
      }
      instances = List.copyOf(next);
      for (Consumer<List<ServiceInstance>> listener : listeners) {
        InMemoryServiceRegistry.notify(service, listener, instances);
      }
    }
  }
}
