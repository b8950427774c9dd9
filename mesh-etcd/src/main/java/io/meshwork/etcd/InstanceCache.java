package io.meshwork.etcd;

import io.meshwork.registry.ServiceInstance;
import io.meshwork.registry.Subscription;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this process knows of every instance under the prefix, grouped by service. Reads take no lock
 * and never touch etcd. Changes come from one thread (the watch's); they and the first notification
 * of a new watch are made under one lock, so each listener sees every list of its service in order.
 */
final class InstanceCache {

  private static final Logger log = LoggerFactory.getLogger(InstanceCache.class);

  private final Object lock = new Object();
  /** Service -> instances keyed by "namespace/id", sorted so lists come in a stable order. */
  private final Map<String, TreeMap<String, ServiceInstance>> services = new HashMap<>();
  private final Map<String, ServiceView> views = new ConcurrentHashMap<>();
  private final Map<String, List<ServiceWatch>> watches = new ConcurrentHashMap<>();

  /** Every instance of {@code service}, any health. */
  List<ServiceInstance> instances(String service) {
    ServiceView view = views.get(service);
    return view == null ? List.of() : view.all();
  }

  /** The healthy instances of {@code service}. */
  List<ServiceInstance> healthy(String service) {
    ServiceView view = views.get(service);
    return view == null ? List.of() : view.healthy();
  }

  /** The keys the cache holds for instance {@code id} of {@code service}, in any namespace. */
  List<InstanceKey> keysOf(String service, String id) {
    List<InstanceKey> keys = new ArrayList<>();
    for (ServiceInstance instance : instances(service)) {
      if (instance.id().equals(id)) {
        keys.add(InstanceKey.of(instance));
      }
    }
    return keys;
  }

  /** Calls {@code listener} now with the current list, then after every change of the service. */
  Subscription watch(String service, Consumer<List<ServiceInstance>> listener) {
    ServiceWatch watch = new ServiceWatch(service, listener);
    List<ServiceWatch> list = watches.computeIfAbsent(service, s -> new CopyOnWriteArrayList<>());
    synchronized (lock) {
      list.add(watch);
      watch.deliver(instances(service));
    }
    return () -> {
      watch.cancelled = true;
      list.remove(watch);
    };
  }

  /** Applies changes in the order etcd made them: an instance, or null for a deleted key. */
  void apply(Map<InstanceKey, ServiceInstance> changes) {
    synchronized (lock) {
      Set<String> touched = new HashSet<>();
      changes.forEach((key, instance) -> {
        TreeMap<String, ServiceInstance> byId = services.computeIfAbsent(key.service(), s -> new TreeMap<>());
        String id = key.namespace() + "/" + key.id();
        ServiceInstance before = instance == null ? byId.remove(id) : byId.put(id, instance);
        if (!Objects.equals(before, instance)) {
          touched.add(key.service());
        }
      });
      publish(touched);
    }
  }

  /** Replaces everything with {@code all}, a fresh read of the prefix; notifies the differences. */
  void replaceAll(Map<InstanceKey, ServiceInstance> all) {
    synchronized (lock) {
      Map<String, TreeMap<String, ServiceInstance>> next = new HashMap<>();
      all.forEach((key, instance) -> next.computeIfAbsent(key.service(), s -> new TreeMap<>())
          .put(key.namespace() + "/" + key.id(), instance));
      Set<String> touched = new HashSet<>();
      for (String service : union(services.keySet(), next.keySet())) {
        if (!Objects.equals(services.get(service), next.get(service))) {
          touched.add(service);
        }
      }
      services.clear();
      services.putAll(next);
      publish(touched);
    }
  }

  private void publish(Set<String> touched) {
    for (String service : touched) {
      TreeMap<String, ServiceInstance> byId = services.get(service);
      List<ServiceInstance> all = byId == null ? List.of() : List.copyOf(byId.values());
      if (all.isEmpty()) {
        services.remove(service);
        views.remove(service);
      } else {
        views.put(service, ServiceView.of(all));
      }
      for (ServiceWatch watch : watches.getOrDefault(service, List.of())) {
        watch.deliver(all);
      }
    }
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new HashSet<>(a);
    all.addAll(b);
    return all;
  }

  /** The lists of one service, built once per change so that reads only return them. */
  private record ServiceView(List<ServiceInstance> all, List<ServiceInstance> healthy) {
    static ServiceView of(List<ServiceInstance> all) {
      return new ServiceView(all, all.stream().filter(ServiceInstance::isHealthy).toList());
    }
  }

  /** One listener of one service; a cancelled one is skipped even by a delivery under way. */
  private static final class ServiceWatch {
    private final String service;
    private final Consumer<List<ServiceInstance>> listener;
    private volatile boolean cancelled;

    ServiceWatch(String service, Consumer<List<ServiceInstance>> listener) {
      this.service = service;
      this.listener = listener;
    }

    void deliver(List<ServiceInstance> instances) {
      if (cancelled) {
        return;
      }
      try {
        listener.accept(instances);
      } catch (RuntimeException e) {
        log.warn("registry listener of {} failed; it stays subscribed", service, e);
      }
    }
  }
}
