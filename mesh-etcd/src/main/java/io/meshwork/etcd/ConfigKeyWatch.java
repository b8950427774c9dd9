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
import io.meshwork.config.ConfigFeed;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a {@link ConfigFeed} fed from one etcd key (or the keys under a prefix): one read, then one
 * watch from the revision after it. When the watch breaks (etcd down, compacted), the key is read
 * again once etcd answers and the watch starts over from there: the document in force stays while
 * etcd is away, and whatever changed meanwhile is caught up with on return. Documents equal to the
 * last ones offered are not offered again. Everything after {@link #start} runs on the one
 * {@code events} thread.
 */
final class ConfigKeyWatch {

  private static final Logger log = LoggerFactory.getLogger(ConfigKeyWatch.class);

  private final Client client;
  private final String key;
  private final boolean prefix;
  private final ByteSequence keyBytes;
  private final ConfigFeed feed;
  private final EtcdCalls calls;
  private final RegistryThread events;
  private final Backoff backoff;
  private final String endpoints;
  private final String source;

  private final Map<String, String> documents = new TreeMap<>(); // key -> text, events thread only
  private Map<String, String> offered; // the documents last offered (null: none yet)
  private long revision;
  private Watch.Watcher watcher;
  private Object generation; // identifies the current watcher; callbacks of older ones are dropped
  private boolean closed;
  private boolean broken; // logged once per outage

  ConfigKeyWatch(Client client, String key, boolean prefix, ConfigFeed feed, EtcdCalls calls,
      RegistryThread events, Backoff backoff, String endpoints) {
    this.client = client;
    this.key = key;
    this.prefix = prefix;
    this.keyBytes = ByteSequence.from(key, StandardCharsets.UTF_8);
    this.feed = feed;
    this.calls = calls;
    this.events = events;
    this.backoff = backoff;
    this.endpoints = endpoints;
    this.source = "etcd " + (prefix ? "prefix " : "key ") + key;
  }

  /**
   * Reads the key on the calling thread, trying again until {@code bound} has passed, offers what it
   * holds, then starts watching. Throws {@link EtcdCallException} when etcd never answered.
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
        log.debug("first read of {} failed ({}); again in {} ms", key, e.getMessage(), delay);
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

  /** The revision of the last document read (for logs and tests). */
  long revision() {
    return revision;
  }

  private void load() {
    GetOption option = GetOption.builder().isPrefix(prefix).build();
    GetResponse response = calls.await("read " + key, () -> client.getKVClient().get(keyBytes, option));
    documents.clear();
    for (KeyValue kv : response.getKvs()) {
      documents.put(kv.getKey().toString(StandardCharsets.UTF_8), kv.getValue().toString(StandardCharsets.UTF_8));
    }
    revision = response.getHeader().getRevision();
    offer();
  }

  /** Offers the documents when they changed since the last offer. */
  private void offer() {
    if (documents.equals(offered)) {
      return;
    }
    boolean first = offered == null;
    offered = Map.copyOf(documents);
    if (documents.isEmpty()) {
      if (first) {
        log.info("{} at {} holds no config yet; the mesh keeps its own until one is written", source, endpoints);
      } else {
        feed.reject(source, "deleted (expected: a mesh.yaml document; the config in force stays)");
      }
    } else if (prefix) {
      feed.offerYaml(documents, key);
    } else {
      feed.offerYaml(documents.get(key), key);
    }
  }

  private void watchFromLastRevision() {
    if (closed) {
      return;
    }
    stopWatcher();
    Object current = new Object();
    generation = current;
    WatchOption option = WatchOption.builder().isPrefix(prefix).withRevision(revision + 1)
        .withCreateNotify(true).withRequireLeader(true).build();
    watcher = client.getWatchClient().watch(keyBytes, option, Watch.listener(
        response -> events.execute(() -> onResponse(current, response)),
        error -> events.execute(() -> onError(current, error)),
        () -> events.execute(() -> onCompleted(current))));
  }

  private void onResponse(Object from, WatchResponse response) {
    if (from != generation || closed) {
      return;
    }
    if (response.isCreatedNotify()) {
      if (broken) {
        log.info("watching {} at {} again from revision {}", source, endpoints, revision + 1);
        broken = false;
      }
      backoff.reset();
      return;
    }
    for (WatchEvent event : response.getEvents()) {
      KeyValue kv = event.getKeyValue();
      if (kv.getModRevision() <= revision) {
        continue; // already read before a resumed watch replayed it
      }
      revision = kv.getModRevision();
      String name = kv.getKey().toString(StandardCharsets.UTF_8);
      if (event.getEventType() == WatchEvent.EventType.DELETE) {
        documents.remove(name);
      } else {
        documents.put(name, kv.getValue().toString(StandardCharsets.UTF_8));
      }
    }
    offer(); // once per response: the changes of one transaction apply together
  }

  private void onError(Object from, Throwable error) {
    if (from != generation || closed) {
      return;
    }
    stopWatcher();
    EtcdCallException failure = EtcdCallException.classify("watch " + key, error);
    log.debug("watch of {} failed", key, error);
    if (!broken) {
      log.warn("watch of {} at {} broke ({}); the config in force stays until it is back", source, endpoints,
          failure.getMessage());
      broken = true;
    }
    schedule(this::resync);
  }

  private void onCompleted(Object from) {
    if (from != generation || closed) {
      return; // our own stopWatcher(), or a watcher already replaced
    }
    generation = null;
    schedule(this::resync);
  }

  /** Reads the key again (what changed while the watch was down) and watches on from there. */
  private void resync() {
    if (closed) {
      return;
    }
    try {
      load();
      watchFromLastRevision();
    } catch (EtcdCallException e) {
      log.debug("reading {} again failed: {}", key, e.getMessage());
      schedule(this::resync);
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

  private static void pause(long millis) {
    try {
      Thread.sleep(millis); // the backoff between attempts to reach etcd at start
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EtcdCallException(EtcdCallException.Kind.UNREACHABLE, "interrupted", e);
    }
  }
}
