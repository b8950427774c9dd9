package io.meshwork.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import io.meshwork.registry.ServiceInstance;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the {@link InstanceCache} equal to what etcd holds under the prefix: one read of the whole
 * prefix, then one watch from the revision after it. A broken watch resumes from the last revision
 * applied, so no change is missed; when etcd no longer has that revision (compacted) or its history
 * went backwards (restored, wiped), the prefix is read again and the differences are notified.
 * Everything after {@link #start()} runs on the one {@code events} thread.
 */
final class PrefixWatch {

  private static final Logger log = LoggerFactory.getLogger(PrefixWatch.class);

  private final Client client;
  private final String prefix;
  private final ByteSequence prefixBytes;
  private final InstanceCache cache;
  private final EtcdCalls calls;
  private final RegistryThread events;
  private final Backoff backoff;
  private final String endpoints;

  private volatile long revision; // the last revision applied to the cache; written on events only
  private final PriorityQueue<RevisionWaiter> waiters = new PriorityQueue<>(); // events thread only
  private Watch.Watcher watcher;
  private Object generation; // identifies the current watcher; callbacks of older ones are dropped
  private boolean closed;
  private boolean broken; // logged once per outage, not once per attempt
  private volatile int reloads; // reads of the whole prefix after the first (for tests)

  PrefixWatch(Client client, EtcdSettings settings, InstanceCache cache, EtcdCalls calls,
      RegistryThread events, Backoff backoff) {
    this.client = client;
    this.prefix = settings.keyPrefix();
    this.prefixBytes = ByteSequence.from(prefix, StandardCharsets.UTF_8);
    this.cache = cache;
    this.calls = calls;
    this.events = events;
    this.backoff = backoff;
    this.endpoints = settings.endpointList();
  }

  /**
   * Reads the prefix on the calling thread, trying again until {@code bound} has passed (the first
   * call also opens the connection, and in a cold JVM loads gRPC), then starts watching. Throws
   * {@link EtcdCallException} when etcd never answered.
   */
  void start(Duration bound) {
    long end = System.nanoTime() + bound.toNanos();
    while (true) {
      try {
        load();
        break;
      } catch (EtcdCallException e) {
        long delay = backoff.nextMillis();
        if (!e.isUnreachable() || System.nanoTime() + delay * 1_000_000 > end) {
          throw e;
        }
        log.debug("first read of {} failed ({}); again in {} ms", prefix, e.getMessage(), delay);
        pause(delay);
      }
    }
    backoff.reset();
    events.execute(this::watchFromLastRevision);
  }

  /** Stops watching; call on the events thread. */
  void close() {
    closed = true;
    stopWatcher();
  }

  /** The last revision applied to the cache (for tests and logs). */
  long revision() {
    return revision;
  }

  /** How many times the whole prefix was read again since the start. */
  int reloads() {
    return reloads;
  }

  /**
   * Completes once the cache holds revision {@code wanted}: a register then sees its own instance in
   * discovery. Never completes exceptionally; the caller bounds the wait.
   */
  CompletableFuture<Void> seen(long wanted) {
    CompletableFuture<Void> future = new CompletableFuture<>();
    if (revision >= wanted) {
      future.complete(null);
      return future;
    }
    events.execute(() -> {
      waiters.removeIf(waiter -> waiter.future().isDone()); // those their callers stopped waiting for
      waiters.add(new RevisionWaiter(wanted, future));
      releaseWaiters();
    });
    return future;
  }

  private void releaseWaiters() {
    while (!waiters.isEmpty() && waiters.peek().revision() <= revision) {
      waiters.poll().future().complete(null);
    }
  }

  private void load() {
    GetResponse response = calls.await("read " + prefix,
        () -> client.getKVClient().get(prefixBytes, GetOption.builder().isPrefix(true).build()));
    Map<InstanceKey, ServiceInstance> all = new LinkedHashMap<>();
    for (KeyValue kv : response.getKvs()) {
      keyOf(kv).ifPresent(key -> {
        ServiceInstance instance = decode(key, kv);
        if (instance != null) {
          all.put(key, instance);
        }
      });
    }
    cache.replaceAll(all);
    revision = response.getHeader().getRevision();
    releaseWaiters();
  }

  private void watchFromLastRevision() {
    if (closed) {
      return;
    }
    stopWatcher();
    Object current = new Object();
    generation = current;
    WatchOption option = WatchOption.builder().isPrefix(true).withRevision(revision + 1)
        // No progress notifications: etcd 3.4 before 3.4.24 may send one ahead of events still to
        // come (etcd-io/etcd#15220), and trusting it would skip them. A compacted revision costs
        // one read of the prefix instead.
        .withCreateNotify(true).withRequireLeader(true).build();
    watcher = client.getWatchClient().watch(prefixBytes, option, Watch.listener(
        response -> events.execute(() -> onResponse(current, response)),
        error -> events.execute(() -> onError(current, error)),
        () -> events.execute(() -> onCompleted(current))));
  }

  private void onResponse(Object from, WatchResponse response) {
    if (from != generation || closed) {
      return;
    }
    if (response.isCreatedNotify()) {
      long head = response.getHeader().getRevision();
      log.debug("watch of {} created at revision {}, from revision {}", prefix, head, revision + 1);
      if (head < revision) {
        log.warn("etcd at {} is at revision {}, behind the {} already seen (restored or wiped):"
            + " reading {} again", endpoints, head, revision, prefix);
        resync();
        return;
      }
      if (broken) {
        log.info("watching {} again at {} from revision {}", prefix, endpoints, revision + 1);
        broken = false;
      }
      backoff.reset();
      return;
    }
    Map<InstanceKey, ServiceInstance> changes = new LinkedHashMap<>();
    long applied = revision;
    for (WatchEvent event : response.getEvents()) {
      KeyValue kv = event.getKeyValue();
      if (kv.getModRevision() <= applied) {
        continue; // already applied before a resumed watch replayed it
      }
      applied = kv.getModRevision();
      boolean deleted = event.getEventType() == WatchEvent.EventType.DELETE;
      // A value that is not a usable document removes the instance: it can no longer be trusted.
      keyOf(kv).ifPresent(key -> changes.put(key, deleted ? null : decode(key, kv)));
    }
    cache.apply(changes);
    revision = applied; // only now: a writer waiting for this revision reads the cache next
    releaseWaiters();
  }

  private void onError(Object from, Throwable error) {
    if (from != generation || closed) {
      return;
    }
    stopWatcher();
    EtcdCallException failure = EtcdCallException.classify("watch " + prefix, error);
    log.debug("watch of {} failed", prefix, error);
    if (!broken) {
      log.warn("watch of {} at {} broke ({}); serving the last known instances until it is back",
          prefix, endpoints, failure.getMessage());
      broken = true;
    }
    if (failure.isUnreachable()) {
      schedule(this::watchFromLastRevision);
    } else {
      // Compacted, or cancelled by etcd for a reason a resumed watch would meet again: read it all.
      log.info("watch of {} cannot resume from revision {} ({}): reading it again", prefix,
          revision + 1, failure.getMessage());
      resync();
    }
  }

  private void onCompleted(Object from) {
    if (from != generation || closed) {
      return; // our own stopWatcher(), or a watcher already replaced
    }
    generation = null;
    schedule(this::watchFromLastRevision);
  }

  private void resync() {
    if (closed) {
      return;
    }
    stopWatcher();
    try {
      load();
      reloads++;
      watchFromLastRevision();
    } catch (EtcdCallException e) {
      log.debug("reading {} again failed: {}", prefix, e.getMessage());
      schedule(this::resync);
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EtcdCallException(EtcdCallException.Kind.UNREACHABLE, "interrupted", e);
    }
  }

  private void schedule(Runnable task) {
    if (!closed) {
      events.schedule(task, backoff.nextMillis());
    }
  }

  private void stopWatcher() {
    generation = null;
    Watch.Watcher old = watcher;
    watcher = null;
    if (old != null) {
      old.close();
    }
  }

  /** A caller waiting for the cache to reach a revision. */
  private record RevisionWaiter(long revision, CompletableFuture<Void> future)
      implements Comparable<RevisionWaiter> {
    @Override
    public int compareTo(RevisionWaiter other) {
      return Long.compare(revision, other.revision);
    }
  }

  private Optional<InstanceKey> keyOf(KeyValue kv) {
    String key = kv.getKey().toString(StandardCharsets.UTF_8);
    Optional<InstanceKey> parsed = InstanceKey.parse(prefix, key);
    if (parsed.isEmpty()) {
      log.debug("skipping {}: not <prefix><namespace>/<service>/<id>", key);
    }
    return parsed;
  }

  /** The instance at {@code key}, or null (logged) when its value is not an instance document. */
  private ServiceInstance decode(InstanceKey key, KeyValue kv) {
    try {
      return InstanceJson.decode(key, kv.getValue().getBytes());
    } catch (IllegalArgumentException e) {
      log.warn("skipping {}: {}", key.format(prefix), e.getMessage());
      return null;
    }
  }
}
