package io.meshwork.etcd;

import io.etcd.jetcd.api.Event;
import io.etcd.jetcd.api.KeyValue;
import io.etcd.jetcd.api.RangeResponse;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.api.TxnResponse;
import io.meshwork.MeshException;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.registry.Subscription;
import io.meshwork.time.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
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
 * The services a registry watches, each from the first time it is asked for: one read of the
 * service's key ranges (its namespace {@code default} and every namespace the {@link NamespaceIndex}
 * lists for it, in one transaction), then one watch per range on the registry's {@link WatchStream}.
 * A service nobody listens to and nobody asked for during the idle time is unwatched and forgotten.
 * With {@code watchAllServices}, one range covers the whole prefix instead, read at start.
 */
final class ServiceWatches {

  private static final Logger log = LoggerFactory.getLogger(ServiceWatches.class);

  private final EtcdSettings settings;
  private final String prefix;
  private final EtcdRpc rpc;
  private final WatchStream stream;
  private final Lane events;
  private final Supplier<Backoff> backoffs;
  private final AtomicInteger reloads;
  private final Ticker ticker;
  private final Map<String, WatchedService> services = new ConcurrentHashMap<>();
  private final NamespaceIndex index; // null with watchAllServices
  private final RangeWatch.Sink rootSink;
  private final RangeWatch root; // the index's range, or the whole prefix

  ServiceWatches(EtcdSettings settings, EtcdRpc rpc, WatchStream stream, Lane events,
      Supplier<Backoff> backoffs, AtomicInteger reloads) {
    this.settings = settings;
    this.prefix = settings.keyPrefix();
    this.rpc = rpc;
    this.stream = stream;
    this.events = events;
    this.backoffs = backoffs;
    this.reloads = reloads;
    this.ticker = settings.ticker();
    if (settings.watchAllServices()) {
      this.index = null;
      this.rootSink = new WholePrefix();
      this.root = range(KeyRange.prefix(prefix), rootSink);
    } else {
      this.index = new NamespaceIndex(prefix, this::onNamespaceAdded);
      this.rootSink = index;
      this.root = range(index.range(), index);
    }
  }

  /**
   * Reads the index (or the whole prefix) on the calling thread, trying again until {@code bound}
   * has passed (the connect timeout alone when every member refuses connections), then watches it.
   * Throws {@link EtcdCallException} when etcd never answered. Returns etcd's revision.
   */
  long start(Duration bound, Duration refusedBound) {
    long begin = System.nanoTime();
    Backoff backoff = backoffs.get();
    RangeResponse first;
    while (true) {
      try {
        first = rpc.await("read " + root.range(), rpc.range(root.range().read()));
        break;
      } catch (EtcdCallException e) {
        long delay = backoff.nextMillis();
        long elapsed = System.nanoTime() - begin + delay * 1_000_000;
        Duration limit = e.isConnectionRefused() ? refusedBound : bound;
        if (!e.isUnreachable() || elapsed > limit.toNanos()) {
          throw e;
        }
        log.debug("first read of {} failed ({}); again in {} ms", root.range(), e.getMessage(), delay);
        pause(delay);
      }
    }
    RangeResponse read = first;
    await(events.submit(() -> {
      rootSink.replace(read.getKvsList());
      root.startAt(read.getHeader().getRevision());
    }));
    if (index == null) {
      return read.getHeader().getRevision();
    }
    long idle = settings.unwatchAfterIdle().toMillis();
    if (idle > 0) {
      sweepEvery(Math.max(50, Math.min(idle / 4, 1000)));
    }
    return read.getHeader().getRevision();
  }

  /** The healthy ({@code healthyOnly}) or all instances of {@code service}, reading it first if needed. */
  List<ServiceInstance> read(String service, boolean healthyOnly) {
    WatchedService watched = ensure(service);
    watched.touch(ticker.nanoTime());
    if (!watched.isLoaded()) {
      if (events.isCurrent()) {
        // A listener asking for a service not watched yet: the read's answer is applied on this
        // very lane, so wait for etcd here and answer from the read itself.
        List<ServiceInstance> all = List.copyOf(readNow(service).values());
        return healthyOnly ? all.stream().filter(ServiceInstance::isHealthy).toList() : all;
      }
      awaitLoad(service, load(watched));
    }
    return healthyOnly ? watched.healthy() : watched.all();
  }

  /** Listens to {@code service}, reading it first if needed (waiting up to the request timeout). */
  Subscription watch(String service, Consumer<List<ServiceInstance>> listener) {
    while (true) {
      WatchedService watched = ensure(service);
      Subscription subscription = watched.subscribe(listener);
      if (subscription == null) {
        continue; // unwatched between ensure and subscribe: a fresh one is made
      }
      if (!watched.isLoaded() && !events.isCurrent()) {
        try {
          load(watched).get(settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
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

  /** The service's instances when it is watched and loaded, else null (for health writes). */
  List<ServiceInstance> known(String service) {
    WatchedService watched = services.get(service);
    return watched != null && watched.isLoaded() ? watched.all() : null;
  }

  /** Completes once this registry's view of {@code key} holds {@code revision}, or at once if unwatched. */
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

  /** The service's entry, its first read started if it has none (lazy mode). */
  private WatchedService ensure(String service) {
    WatchedService watched = services.computeIfAbsent(service, name -> new WatchedService(name, ticker.nanoTime()));
    if (index == null) {
      watched.markLoaded(); // the whole prefix is read: a service not in it has no instance
    } else if (!watched.isLoaded()) {
      load(watched);
    }
    return watched;
  }

  /** The read under way, or a new one when the last failed; completes when the service is loaded. */
  private CompletableFuture<Void> load(WatchedService watched) {
    List<String> namespaces = new ArrayList<>();
    namespaces.add(ServiceInstance.DEFAULT_NAMESPACE);
    namespaces.addAll(index.namespacesOf(watched.name()));
    CompletableFuture<Void> attempt;
    synchronized (watched) {
      if (watched.isLoaded()) {
        return watched.ready();
      }
      if (watched.attempt != null && !watched.attempt.isDone()) {
        return watched.attempt;
      }
      attempt = new CompletableFuture<>();
      watched.attempt = attempt;
    }
    TxnRequest.Builder reads = TxnRequest.newBuilder();
    for (String namespace : namespaces) {
      reads.addSuccess(RequestOp.newBuilder().setRequestRange(rangeOf(namespace, watched.name()).read()));
    }
    rpc.txn(reads.build()).whenComplete((response, error) -> events.execute(
        () -> loaded(watched, namespaces, attempt, response, error)));
    return attempt;
  }

  private void loaded(WatchedService watched, List<String> namespaces, CompletableFuture<Void> attempt,
      TxnResponse response, Throwable error) {
    if (services.get(watched.name()) != watched) {
      attempt.complete(null); // unwatched meanwhile; a caller still waiting reads an empty view
      return;
    }
    if (error != null) {
      EtcdCallException failure = EtcdCallException.classify("read service " + watched.name(), error);
      attempt.completeExceptionally(failure);
      if (watched.subscribers() > 0) {
        long delay = backoffs.get().nextMillis();
        log.debug("{}; again in {} ms for its listeners", failure.getMessage(), delay);
        events.schedule(() -> {
          if (!watched.isLoaded()) {
            load(watched);
          }
        }, delay);
      }
      return;
    }
    long revision = response.getHeader().getRevision();
    Map<InstanceKey, ServiceInstance> all = new HashMap<>();
    for (int i = 0; i < namespaces.size(); i++) {
      all.putAll(InstanceRecords.of(prefix, response.getResponses(i).getResponseRange().getKvsList()));
    }
    watched.replace(null, all);
    for (String namespace : namespaces) {
      RangeWatch range = range(rangeOf(namespace, watched.name()), new NamespaceRange(watched, namespace));
      watched.ranges.put(namespace, range);
      range.startAt(revision);
    }
    watched.markLoaded();
    attempt.complete(null);
    // Namespaces the index learned of while the read was under way.
    for (String namespace : index.namespacesOf(watched.name())) {
      onNamespaceAdded(watched.name(), namespace);
    }
  }

  /** A service now has instances in a namespace it had none in before: watch that one too. */
  private void onNamespaceAdded(String service, String namespace) {
    WatchedService watched = services.get(service);
    if (watched != null && watched.isLoaded() && !watched.ranges.containsKey(namespace)) {
      RangeWatch range = range(rangeOf(namespace, service), new NamespaceRange(watched, namespace));
      watched.ranges.put(namespace, range);
      range.startWithRead();
    }
  }

  /** Reads the service now, on the calling thread, without keeping what it read. */
  private Map<InstanceKey, ServiceInstance> readNow(String service) {
    Map<InstanceKey, ServiceInstance> all = new HashMap<>();
    List<String> namespaces = new ArrayList<>(index.namespacesOf(service));
    namespaces.add(ServiceInstance.DEFAULT_NAMESPACE);
    for (String namespace : namespaces) {
      try {
        all.putAll(InstanceRecords.of(prefix, rpc.await("read service " + service,
            rpc.range(rangeOf(namespace, service).read())).getKvsList()));
      } catch (EtcdCallException e) {
        throw failure(service, e);
      }
    }
    return all;
  }

  private void awaitLoad(String service, CompletableFuture<Void> attempt) {
    try {
      attempt.get(settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw failure(service, EtcdCallException.classify("read service " + service, e.getCause()));
    } catch (TimeoutException e) {
      throw new EtcdUnavailableException(service, "etcd unreachable at " + settings.endpointList()
          + ": the first read of " + service + " got no answer within " + settings.requestTimeout().toMillis()
          + " ms", e);
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

  private KeyRange rangeOf(String namespace, String service) {
    return KeyRange.prefix(prefix + namespace + "/" + service + "/");
  }

  private RangeWatch range(KeyRange range, RangeWatch.Sink sink) {
    return new RangeWatch(range, sink, stream, rpc, events, backoffs.get(), reloads);
  }

  private static void await(CompletableFuture<Void> step) {
    try {
      step.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new EtcdCallException(EtcdCallException.Kind.UNREACHABLE, "starting the watch: " + e, e);
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis); // the first read's retry delay, on the thread of build()
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EtcdCallException(EtcdCallException.Kind.UNREACHABLE, "interrupted", e);
    }
  }

  /** The instances of one service in one namespace. */
  private final class NamespaceRange implements RangeWatch.Sink {
    private final WatchedService watched;
    private final String namespace;

    NamespaceRange(WatchedService watched, String namespace) {
      this.watched = watched;
      this.namespace = namespace;
    }

    @Override
    public void replace(List<KeyValue> all) {
      watched.replace(Set.of(namespace), InstanceRecords.of(prefix, all));
    }

    @Override
    public void apply(List<Event> changes) {
      watched.apply(InstanceRecords.changes(prefix, changes));
    }
  }

  /** Every instance under the prefix, spread over their services (watchAllServices). */
  private final class WholePrefix implements RangeWatch.Sink {
    @Override
    public void replace(List<KeyValue> all) {
      Map<String, Map<InstanceKey, ServiceInstance>> byService = new HashMap<>();
      InstanceRecords.of(prefix, all).forEach((key, instance) ->
          byService.computeIfAbsent(key.service(), s -> new HashMap<>()).put(key, instance));
      Set<String> touched = new LinkedHashSet<>(services.keySet());
      touched.addAll(byService.keySet());
      for (String service : touched) {
        entry(service).replace(null, byService.getOrDefault(service, Map.of()));
      }
    }

    @Override
    public void apply(List<Event> changes) {
      Map<String, Map<InstanceKey, ServiceInstance>> byService = new HashMap<>();
      InstanceRecords.changes(prefix, changes).forEach((key, instance) ->
          byService.computeIfAbsent(key.service(), s -> new java.util.LinkedHashMap<>()).put(key, instance));
      byService.forEach((service, serviceChanges) -> entry(service).apply(serviceChanges));
    }

    private WatchedService entry(String service) {
      WatchedService watched = services.computeIfAbsent(service, name -> new WatchedService(name, ticker.nanoTime()));
      watched.markLoaded();
      return watched;
    }
  }
}
