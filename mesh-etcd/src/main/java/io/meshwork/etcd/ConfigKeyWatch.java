package io.meshwork.etcd;

import io.etcd.jetcd.api.Event;
import io.etcd.jetcd.api.KeyValue;
import io.etcd.jetcd.api.RangeResponse;
import io.meshwork.config.ConfigFeed;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a {@link ConfigFeed} fed from one etcd key (or the keys under a prefix) through a
 * {@link RangeWatch}: the first read, then a watch from the revision after it. A watch broken by an
 * outage resumes from the last revision applied, so the document in force stays while etcd is away
 * and what changed meanwhile arrives on return; when etcd no longer has that revision (compacted) the
 * key is read again. Each change is offered to the feed, which rejects a bad document and keeps
 * watching; documents equal to the last ones offered are not offered again (a read again after a
 * compaction rejects nothing twice). After {@link #start} everything runs on the events lane.
 */
final class ConfigKeyWatch implements RangeWatch.Sink {

  private static final Logger log = LoggerFactory.getLogger(ConfigKeyWatch.class);

  private final String key;
  private final boolean prefix;
  private final ConfigFeed feed;
  private final Lane events;
  private final String endpoints;
  private final String source;
  private final AtomicInteger reloads = new AtomicInteger();
  private final RangeWatch watch;
  private final Map<String, String> documents = new TreeMap<>(); // key -> text, in key order
  private Map<String, String> offered; // the documents last offered (null: none yet)

  ConfigKeyWatch(String key, boolean prefix, ConfigFeed feed, WatchStream stream, EtcdRpc rpc, Lane events,
      Backoff backoff, String endpoints) {
    this.key = key;
    this.prefix = prefix;
    this.feed = feed;
    this.events = events;
    this.endpoints = endpoints;
    this.source = "etcd " + (prefix ? "prefix " : "key ") + key;
    this.watch = new RangeWatch(range(), this, stream, rpc, events, backoff, reloads);
  }

  /** The key range read and watched: the key alone, or every key under the prefix. */
  KeyRange range() {
    return prefix ? KeyRange.prefix(key) : KeyRange.key(key);
  }

  /** Offers what the first read found, on the calling thread, then watches what changes after it. */
  void start(RangeResponse first) {
    replace(first.getKvsList());
    events.execute(() -> watch.startAt(first.getHeader().getRevision()));
  }

  /** Stops watching; call on the events lane. */
  void close() {
    watch.close();
  }

  /** How many times the key was read again after a compaction or a reset (for tests). */
  int reloadCount() {
    return reloads.get();
  }

  @Override
  public void replace(List<KeyValue> all) {
    documents.clear();
    for (KeyValue kv : all) {
      documents.put(kv.getKey().toStringUtf8(), kv.getValue().toStringUtf8());
    }
    offer();
  }

  @Override
  public void apply(List<Event> changes) {
    for (Event event : changes) {
      String name = event.getKv().getKey().toStringUtf8();
      if (event.getType() == Event.EventType.DELETE) {
        documents.remove(name);
      } else {
        documents.put(name, event.getKv().getValue().toStringUtf8());
      }
    }
    offer(); // once per response: the changes of one transaction apply together
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
}
