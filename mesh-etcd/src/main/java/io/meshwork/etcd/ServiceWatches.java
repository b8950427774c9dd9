package io.meshwork.etcd;

import io.etcd.jetcd.api.RangeResponse;
import io.meshwork.MeshException;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.registry.Subscription;
import io.meshwork.time.Ticker;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The services a registry watches, each from the first time it is asked for ({@link FirstReads}),
 * over the {@link NamespaceIndex} read at start; a service nobody listens to and nobody asked for
 * during the idle time is unwatched and forgotten. With {@code watchAllServices}, one range covers
 * the whole prefix instead ({@link WholePrefix}), read at start.
 */
final class ServiceWatches {

  private static final Logger log = LoggerFactory.getLogger(ServiceWatches.class);

  private final EtcdSettings settings;
  private final EtcdRpc rpc;
  private final WatchStream stream;
  private final Lane events;
  private final Supplier<Backoff> backoffs;
  private final AtomicInteger reloads;
  private final Ticker ticker;
  private final Map<String, WatchedService> services = new ConcurrentHashMap<>();
  private final NamespaceIndex index; // null with watchAllServices
  private final FirstReads firstReads; // null with watchAllServices
  private final RangeWatch.Sink rootSink;
  private final RangeWatch root; // the index's range, or the whole prefix

  ServiceWatches(EtcdSettings settings, EtcdRpc rpc, WatchStream stream, Lane events,
      Supplier<Backoff> backoffs, AtomicInteger reloads) {
    this.settings = settings;
    this.rpc = rpc;
    this.stream = stream;
    this.events = events;
    this.backoffs = backoffs;
    this.reloads = reloads;
    this.ticker = settings.ticker();
    String prefix = settings.keyPrefix();
    if (settings.watchAllServices()) {
      this.index = null;
      this.firstReads = null;
      this.rootSink = new WholePrefix(prefix, services, this::entry);
      this.root = range(KeyRange.prefix(prefix), rootSink);
    } else {
      this.index = new NamespaceIndex(prefix, this::namespaceAdded);
      this.firstReads = new FirstReads(prefix, rpc, events, index, services::get, this::range);
      this.rootSink = index;
      this.root = range(index.range(), index);
    }
  }

  /**
   * Reads the index (or the whole prefix) on the calling thread, trying again while etcd does not
   * answer ({@link EtcdRpc#awaitFirst}), then watches it. Throws {@link EtcdCallException} when etcd
   * never answered. Returns etcd's revision.
   */
  long start() {
    RangeResponse first = rpc.awaitFirst("read " + root.range(), () -> rpc.range(root.range().read()),
        settings.client(), backoffs.get());
    awaitStart(events.submit(() -> {
      rootSink.replace(first.getKvsList());
      root.startAt(first.getHeader().getRevision());
    }));
    long idle = settings.unwatchAfterIdle().toMillis();
    if (index != null && idle > 0) {
      sweepEvery(Math.max(50, Math.min(idle / 4, 1000)));
    }
    return first.getHeader().getRevision();
  }

  /** The healthy ({@code healthyOnly}) or all instances of {@code service}, reading it first if needed. */
  List<ServiceInstance> read(String service, boolean healthyOnly) {
    WatchedService watched = ensure(service);
    watched.touch(ticker.nanoTime());
    if (!watched.isLoaded()) {
      if (events.isCurrent()) {
        // A listener asking for a service not watched yet: the read's answer is applied on this very
        // lane, so it cannot be waited for here; answer from a read of its own.
        List<ServiceInstance> all = List.copyOf(readNow(service).values());
        return healthyOnly ? all.stream().filter(ServiceInstance::isHealthy).toList() : all;
      }
      awaitLoad(service, firstReads.load(watched));
    }
    return healthyOnly ? watched.healthy() : watched.all();
  }

  /** Listens to {@code service}, reading it first if needed (waiting up to the request timeout). */
  Subscription watch(String service, Consumer<List<ServiceInstance>> listener) {
    while (true) {
      WatchedService watched = ensure(service);
      Subscription subscription = watched.subscribe(listener);
      if (subscription == null) {
        continue; // unwatched between ensure and subscribe: a fresh entry is made
      }
      if (!watched.isLoaded() && !events.isCurrent()) {
        try {
          long timeout = settings.client().requestTimeout().toMillis();
          firstReads.load(watched).get(timeout, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException notYet) {
          // Told later, once a read succeeds: a listener is never handed an empty list by mistake.
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return () -> {
        subscription.cancel();
        watched.touch(ticker.nanoTime()); // the idle time starts when the last listener leaves
      };
    }
  }

  /**
   * The keys instance {@code id} of {@code service} may have: in every namespace this registry
   * knows the service in (a key that does not exist is harmless to delete).
   */
  Set<InstanceKey> keysOf(String service, String id) {
    Set<InstanceKey> keys = new LinkedHashSet<>();
    WatchedService watched = services.get(service);
    if (watched != null) {
      for (ServiceInstance instance : watched.all()) {
        if (instance.id().equals(id)) {
          keys.add(InstanceKey.of(instance));
        }
      }
    }
    if (index != null) {
      keys.add(new InstanceKey(ServiceInstance.DEFAULT_NAMESPACE, service, id));
      index.namespacesOf(service).forEach(namespace -> keys.add(new InstanceKey(namespace, service, id)));
    }
    return keys;
  }

  /** The service's instances when it is watched and loaded, else null. */
  List<ServiceInstance> known(String service) {
    WatchedService watched = services.get(service);
    return watched != null && watched.isLoaded() ? watched.all() : null;
  }

  /** Completes once this registry's view of {@code key} holds {@code revision}, at once if unwatched. */
  CompletableFuture<Void> seen(InstanceKey key, long revision) {
    if (index == null) {
      return root.seen(revision);
    }
    WatchedService watched = services.get(key.service());
    RangeWatch range = watched == null ? null : watched.ranges.get(key.namespace());
    return range == null ? CompletableFuture.completedFuture(null) : range.seen(revision);
  }

  /** The services watched now. */
  Set<String> watched() {
    return Set.copyOf(services.keySet());
  }

  /** Stops every watch; call on the events lane. */
  void close() {
    root.close();
    services.values().forEach(watched -> watched.ranges.values().forEach(RangeWatch::close));
    stream.close();
  }

  /** The service's entry, its first read started when it has none (lazy mode). */
  private WatchedService ensure(String service) {
    WatchedService watched = entry(service);
    if (index == null) {
      watched.markLoaded(); // the whole prefix is read: a service not in it has no instance
    } else if (!watched.isLoaded()) {
      firstReads.load(watched);
    }
    return watched;
  }

  private void namespaceAdded(String service, String namespace) {
    firstReads.namespaceAdded(service, namespace);
  }

  private WatchedService entry(String service) {
    return services.computeIfAbsent(service, name -> new WatchedService(name, ticker.nanoTime(), backoffs.get()));
  }

  private Map<InstanceKey, ServiceInstance> readNow(String service) {
    try {
      return firstReads.readNow(service);
    } catch (EtcdCallException e) {
      throw failure(service, e);
    }
  }

  private void awaitLoad(String service, CompletableFuture<Void> attempt) {
    try {
      attempt.get(settings.client().requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw failure(service, EtcdCallException.classify("read service " + service, e.getCause()));
    } catch (TimeoutException e) {
      throw new EtcdUnavailableException(service, "etcd unreachable at " + settings.endpointList()
          + ": the first read of " + service + " got no answer within "
          + settings.client().requestTimeout().toMillis() + " ms", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EtcdUnavailableException(service, "interrupted while reading " + service + " from etcd", e);
    }
  }

  private MeshException failure(String service, EtcdCallException e) {
    return e.isUnreachable()
        ? new EtcdUnavailableException(service, "etcd unreachable at " + settings.endpointList()
            + ": cannot read " + service + ", not watched before (" + e.getMessage() + ")", e)
        : new MeshException(service, "etcd at " + settings.endpointList() + " refused to read " + service
            + " (" + e.getMessage() + ")", e);
  }

  private void sweepEvery(long periodMillis) {
    events.schedule(() -> {
      long now = ticker.nanoTime();
      long idle = settings.unwatchAfterIdle().toNanos();
      for (WatchedService watched : services.values()) {
        if (watched.unwatchIfIdle(now, idle)) {
          services.remove(watched.name(), watched);
          watched.ranges.values().forEach(RangeWatch::close);
          log.debug("unwatched {}: no listener and no read for {}", watched.name(), settings.unwatchAfterIdle());
        }
      }
      sweepEvery(periodMillis);
    }, periodMillis);
  }

  private RangeWatch range(KeyRange range, RangeWatch.Sink sink) {
    return new RangeWatch(range, sink, stream, rpc, events, backoffs.get(), reloads);
  }

  private static void awaitStart(CompletableFuture<Void> step) {
    try {
      step.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("starting the watch failed", e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new EtcdCallException(EtcdCallException.Kind.UNREACHABLE, "starting the watch: " + e, e);
    }
  }
}
