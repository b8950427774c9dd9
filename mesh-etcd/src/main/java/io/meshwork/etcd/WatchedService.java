package io.meshwork.etcd;

import io.meshwork.registry.ServiceInstance;
import io.meshwork.registry.Subscription;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a registry knows of one service it watches: its instances in every namespace, the key ranges
 * that feed them, and who listens. Reads take no lock and never touch etcd. Changes come from the
 * events lane; they and the first notification of a new listener are made under one lock, so each
 * listener sees every list of the service, in order. Until the first read of the service is in, it
 * is not {@linkplain #isLoaded() loaded} and notifies nobody: an empty list is never sent by mistake.
 */
final class WatchedService {

  private static final Logger log = LoggerFactory.getLogger(WatchedService.class);

  private final String name;
  private final Object lock = new Object();
  /** Instances keyed by "namespace/id", sorted so that lists come in a stable order; under lock. */
  private final TreeMap<String, ServiceInstance> instances = new TreeMap<>();
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private final CompletableFuture<Void> ready = new CompletableFuture<>();
  private volatile View view = View.EMPTY;
  private volatile boolean loaded;
  private volatile long lastUsedNanos;
  private int subscribers; // under lock
  private boolean unwatched; // under lock
  /** The ranges that feed it, by namespace (lazy mode); touched on the events lane only. */
  final Map<String, RangeWatch> ranges = new ConcurrentHashMap<>();
  /** The read under way or the last one (lazy mode); guarded by this object's monitor ({@link FirstReads}). */
  CompletableFuture<Void> attempt;

  private final Backoff backoff;

  /** {@code backoff} spaces the retries of its first read. */
  WatchedService(String name, long now, Backoff backoff) {
    this.name = name;
    this.lastUsedNanos = now;
    this.backoff = backoff;
  }

  /** The delays between retries of its first read; used on the events lane. */
  Backoff backoff() {
    return backoff;
  }

  String name() {
    return name;
  }

  /** Every instance, any health. */
  List<ServiceInstance> all() {
    return view.all();
  }

  /** The healthy instances. */
  List<ServiceInstance> healthy() {
    return view.healthy();
  }

  /** Whether its first read is in: its lists are the service's, not an empty placeholder. */
  boolean isLoaded() {
    return loaded;
  }

  /** Completes once loaded. */
  CompletableFuture<Void> ready() {
    return ready;
  }

  /** Records a use (a discover, a read, a listener leaving) at {@code now}. */
  void touch(long now) {
    lastUsedNanos = now;
  }

  /** Applies changes in the order etcd made them: an instance, or null for a deleted key. */
  void apply(Map<InstanceKey, ServiceInstance> changes) {
    synchronized (lock) {
      boolean changed = false;
      for (Map.Entry<InstanceKey, ServiceInstance> change : changes.entrySet()) {
        String id = change.getKey().namespace() + "/" + change.getKey().id();
        ServiceInstance before = change.getValue() == null ? instances.remove(id) : instances.put(id, change.getValue());
        changed |= !Objects.equals(before, change.getValue());
      }
      if (changed) {
        publish();
      }
    }
  }

  /**
   * Replaces every instance in {@code namespaces} (all of them when null) with {@code fresh}, a new
   * read of them; notifies when that changed anything.
   */
  void replace(Set<String> namespaces, Map<InstanceKey, ServiceInstance> fresh) {
    synchronized (lock) {
      TreeMap<String, ServiceInstance> before = new TreeMap<>(instances);
      instances.keySet().removeIf(id -> namespaces == null
          || namespaces.contains(id.substring(0, id.indexOf('/'))));
      fresh.forEach((key, instance) -> instances.put(key.namespace() + "/" + key.id(), instance));
      if (!before.equals(instances)) {
        publish();
      }
    }
  }

  /** Its first read is in: tells every listener so far, and every later one at once. */
  void markLoaded() {
    synchronized (lock) {
      if (loaded) {
        return;
      }
      loaded = true;
      publish();
    }
    ready.complete(null);
  }

  /**
   * Adds a listener, told now of the current list when loaded (else once it is). Null when this
   * service was just unwatched: the caller then starts over with a fresh one.
   */
  Subscription subscribe(Consumer<List<ServiceInstance>> listener) {
    Listener watch = new Listener(listener);
    synchronized (lock) {
      if (unwatched) {
        return null;
      }
      subscribers++;
      listeners.add(watch);
      if (loaded) {
        watch.deliver(view.all());
      }
    }
    return () -> {
      synchronized (lock) {
        if (!watch.cancelled) {
          watch.cancelled = true;
          listeners.remove(watch);
          subscribers--;
        }
      }
    };
  }

  /**
   * Marks it unwatched when nobody listens and nobody used it for {@code idleNanos}; returns whether
   * it did. Its ranges are then the caller's to close.
   */
  boolean unwatchIfIdle(long now, long idleNanos) {
    synchronized (lock) {
      if (subscribers > 0 || now - lastUsedNanos < idleNanos || unwatched) {
        return false;
      }
      unwatched = true;
      return true;
    }
  }

  /** How many listeners it has. */
  int subscribers() {
    synchronized (lock) {
      return subscribers;
    }
  }

  private void publish() {
    View next = View.of(List.copyOf(instances.values()));
    view = next;
    if (!loaded) {
      return;
    }
    for (Listener listener : listeners) {
      listener.deliver(next.all());
    }
  }

  /** The lists of the service, built once per change so that reads only return them. */
  private record View(List<ServiceInstance> all, List<ServiceInstance> healthy) {
    static final View EMPTY = new View(List.of(), List.of());

    static View of(List<ServiceInstance> all) {
      return new View(all, all.stream().filter(ServiceInstance::isHealthy).toList());
    }
  }

  /** One listener; a cancelled one is skipped even by a delivery under way. */
  private final class Listener {
    private final Consumer<List<ServiceInstance>> listener;
    private volatile boolean cancelled;

    Listener(Consumer<List<ServiceInstance>> listener) {
      this.listener = listener;
    }

    void deliver(List<ServiceInstance> list) {
      if (cancelled) {
        return;
      }
      try {
        listener.accept(list);
      } catch (RuntimeException e) {
        log.warn("registry listener of {} failed; it stays subscribed", name, e);
      }
    }
  }
}
