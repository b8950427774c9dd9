package io.meshwork.etcd;

import io.etcd.jetcd.api.Event;
import io.etcd.jetcd.api.KeyValue;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.api.TxnResponse;
import io.meshwork.registry.ServiceInstance;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first read of a service a registry is asked for, and the watches that follow it: one
 * transaction reads the service in {@code default} and in every namespace the {@link NamespaceIndex}
 * lists for it (one revision for all), then each of those ranges is watched from the next revision.
 * A read that fails is tried again in the background while the service has listeners. A namespace the
 * index learns of later gets its own read and watch.
 */
final class FirstReads {

  private static final Logger log = LoggerFactory.getLogger(FirstReads.class);

  private final String prefix;
  private final EtcdRpc rpc;
  private final Lane events;
  private final NamespaceIndex index;
  private final Function<String, WatchedService> current;
  private final RangeFactory ranges;

  /** Makes the watch of one range feeding one sink. */
  interface RangeFactory {
    RangeWatch watch(KeyRange range, RangeWatch.Sink sink);
  }

  /** {@code current} gives the entry a service has now (null once unwatched). */
  FirstReads(String prefix, EtcdRpc rpc, Lane events, NamespaceIndex index,
      Function<String, WatchedService> current, RangeFactory ranges) {
    this.prefix = prefix;
    this.rpc = rpc;
    this.events = events;
    this.index = index;
    this.current = current;
    this.ranges = ranges;
  }

  /** The read under way, or a new one when the last failed; completes when the service is loaded. */
  CompletableFuture<Void> load(WatchedService watched) {
    List<String> namespaces = namespacesOf(watched.name());
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

  /**
   * Reads {@code service} now, on the calling thread, without keeping what it read: for a listener
   * on the events lane, where the answer of {@link #load} could not be applied while it waits.
   */
  Map<InstanceKey, ServiceInstance> readNow(String service) {
    Map<InstanceKey, ServiceInstance> all = new HashMap<>();
    for (String namespace : namespacesOf(service)) {
      all.putAll(InstanceRecords.of(prefix, rpc.await("read service " + service,
          rpc.range(rangeOf(namespace, service).read())).getKvsList()));
    }
    return all;
  }

  /** A service now has instances in a namespace it had none in before: watch that one too. */
  void namespaceAdded(String service, String namespace) {
    WatchedService watched = current.apply(service);
    if (watched != null && watched.isLoaded() && !watched.ranges.containsKey(namespace)) {
      RangeWatch range = ranges.watch(rangeOf(namespace, service), new NamespaceRange(watched, namespace));
      watched.ranges.put(namespace, range);
      range.startWithRead();
    }
  }

  private void loaded(WatchedService watched, List<String> namespaces, CompletableFuture<Void> attempt,
      TxnResponse response, Throwable error) {
    if (error != null) {
      EtcdCallException failure = EtcdCallException.classify("read service " + watched.name(), error);
      attempt.completeExceptionally(failure);
      if (watched.subscribers() > 0 && current.apply(watched.name()) == watched) {
        long delay = watched.backoff().nextMillis();
        log.debug("{}; again in {} ms for its listeners", failure.getMessage(), delay);
        events.schedule(() -> load(watched), delay);
      }
      return;
    }
    watched.backoff().reset();
    Map<InstanceKey, ServiceInstance> all = new HashMap<>();
    for (int i = 0; i < namespaces.size(); i++) {
      all.putAll(InstanceRecords.of(prefix, response.getResponses(i).getResponseRange().getKvsList()));
    }
    watched.replace(null, all);
    if (current.apply(watched.name()) == watched) { // else unwatched meanwhile: the read still answers
      long revision = response.getHeader().getRevision();
      for (String namespace : namespaces) {
        RangeWatch range = ranges.watch(rangeOf(namespace, watched.name()), new NamespaceRange(watched, namespace));
        watched.ranges.put(namespace, range);
        range.startAt(revision);
      }
    }
    watched.markLoaded();
    attempt.complete(null);
    for (String namespace : index.namespacesOf(watched.name())) {
      namespaceAdded(watched.name(), namespace); // learnt of while the read was under way
    }
  }

  private List<String> namespacesOf(String service) {
    List<String> namespaces = new ArrayList<>();
    namespaces.add(ServiceInstance.DEFAULT_NAMESPACE);
    namespaces.addAll(index.namespacesOf(service));
    return namespaces;
  }

  private KeyRange rangeOf(String namespace, String service) {
    return KeyRange.prefix(prefix + namespace + "/" + service + "/");
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
}
