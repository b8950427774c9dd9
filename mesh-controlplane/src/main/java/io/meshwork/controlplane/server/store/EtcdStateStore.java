package io.meshwork.controlplane.server.store;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state in etcd, under one key prefix, shared by every controller that names the same etcd and
 * prefix: a change made through one reaches the others by an etcd watch (resumed by jetcd from the
 * last revision seen after an outage). Writes fail within a few seconds while etcd is unreachable, and
 * the API answers them 503; reads are served from what was last seen.
 */
public final class EtcdStateStore implements StateStore {

  private static final Logger log = LoggerFactory.getLogger(EtcdStateStore.class);
  private static final long TIMEOUT_SECONDS = 5;

  private final List<URI> endpoints;
  private final String prefix;
  private final Client client;
  private final ChangeListeners listeners = new ChangeListeners();
  /** What the watch has brought so far, guarded by itself; changed and published under its lock. */
  private final Map<String, String> current = new HashMap<>();
  private final Watch.Watcher watcher;

  /**
   * Connects to {@code endpoints} and reads every key under {@code prefix} (such as
   * {@code /meshwork/controlplane/}); fails when etcd does not answer within a few seconds.
   */
  public EtcdStateStore(List<URI> endpoints, String prefix) {
    this.endpoints = List.copyOf(endpoints);
    this.prefix = prefix;
    this.client = Client.builder().endpoints(endpoints.toArray(URI[]::new)).waitForReady(false).build();
    GetResponse all;
    try {
      all = client.getKVClient().get(bytes(prefix), GetOption.builder().isPrefix(true).build())
          .get(TIMEOUT_SECONDS * 2, TimeUnit.SECONDS);
    } catch (Exception e) {
      client.close();
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException("etcd " + endpoints + " did not answer: " + e.getMessage(), e);
    }
    for (KeyValue kv : all.getKvs()) {
      current.put(relative(kv.getKey()), kv.getValue().toString(StandardCharsets.UTF_8));
    }
    this.watcher = client.getWatchClient().watch(bytes(prefix),
        WatchOption.builder().isPrefix(true).withRevision(all.getHeader().getRevision() + 1).build(),
        Watch.listener(response -> {
          synchronized (current) {
            for (WatchEvent event : response.getEvents()) {
              String key = relative(event.getKeyValue().getKey());
              String value = event.getEventType() == WatchEvent.EventType.DELETE ? null
                  : event.getKeyValue().getValue().toString(StandardCharsets.UTF_8);
              if (value == null) {
                current.remove(key);
              } else {
                current.put(key, value);
              }
              listeners.publish(new Change(key, value));
            }
          }
        }, error -> log.warn("etcd watch of {} interrupted, resuming: {}", prefix, error.getMessage())));
  }

  @Override
  public Map<String, String> load() {
    synchronized (current) {
      return Map.copyOf(current);
    }
  }

  @Override
  public CompletableFuture<Void> put(String key, String value) {
    return client.getKVClient().put(bytes(prefix + key), bytes(value))
        .orTimeout(TIMEOUT_SECONDS, TimeUnit.SECONDS).thenApply(done -> null);
  }

  @Override
  public CompletableFuture<Boolean> putAllIfAbsent(Map<String, String> entries) {
    List<Cmp> conditions = new ArrayList<>();
    List<Op> puts = new ArrayList<>();
    entries.forEach((key, value) -> {
      conditions.add(new Cmp(bytes(prefix + key), Cmp.Op.EQUAL, CmpTarget.createRevision(0)));
      puts.add(Op.put(bytes(prefix + key), bytes(value), PutOption.DEFAULT));
    });
    return client.getKVClient().txn().If(conditions.toArray(Cmp[]::new)).Then(puts.toArray(Op[]::new)).commit()
        .orTimeout(TIMEOUT_SECONDS, TimeUnit.SECONDS).thenApply(response -> response.isSucceeded());
  }

  @Override
  public CompletableFuture<Void> delete(String key) {
    return client.getKVClient().delete(bytes(prefix + key))
        .orTimeout(TIMEOUT_SECONDS, TimeUnit.SECONDS).thenApply(done -> null);
  }

  /** The value of {@code key} read from etcd now (not from the watch). */
  public String read(String key) throws Exception {
    GetResponse response = client.getKVClient().get(bytes(prefix + key)).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    return response.getKvs().isEmpty() ? null : response.getKvs().get(0).getValue().toString(StandardCharsets.UTF_8);
  }

  @Override
  public void listen(Consumer<Change> listener) {
    synchronized (current) {
      listeners.addAfter(current, listener);
    }
  }

  @Override
  public String describe() {
    return "etcd " + endpoints + " under " + prefix;
  }

  @Override
  public void close() {
    watcher.close();
    client.close();
  }

  private String relative(ByteSequence key) {
    return key.toString(StandardCharsets.UTF_8).substring(prefix.length());
  }

  private static ByteSequence bytes(String text) {
    return ByteSequence.from(text, StandardCharsets.UTF_8);
  }
}
