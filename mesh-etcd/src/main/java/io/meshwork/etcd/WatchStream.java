package io.meshwork.etcd;

import io.etcd.jetcd.api.Event;
import io.etcd.jetcd.api.WatchCancelRequest;
import io.etcd.jetcd.api.WatchCreateRequest;
import io.etcd.jetcd.api.WatchGrpc;
import io.etcd.jetcd.api.WatchRequest;
import io.etcd.jetcd.api.WatchResponse;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptors;
import io.grpc.Metadata;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every watch of one registry (or config source) on one gRPC stream, as etcd's API allows (jetcd
 * opens a stream per watch): a process that calls five services holds one stream with five watches,
 * not five streams, and no thread of its own. When the stream breaks (a member died, etcd restarted, it lost its
 * leader), every watch is created again on a new stream from the revision after the last change it
 * delivered, so nothing is missed; etcd answers a watch whose revision was compacted by cancelling
 * it, and its owner reads its range again. Everything runs on the owner's events lane.
 */
final class WatchStream {

  private static final Logger log = LoggerFactory.getLogger(WatchStream.class);
  /** etcd's "require leader" header: a member cut off from its leader ends the stream, not silently stalls. */
  private static final Metadata.Key<String> REQUIRE_LEADER =
      Metadata.Key.of("hasleader", Metadata.ASCII_STRING_MARSHALLER);

  /** What a watch tells its owner; called on the events lane. */
  interface Listener {
    /** The watch exists on etcd (again, after a broken stream); etcd is at {@code headerRevision}. */
    void onCreated(long headerRevision);

    /** Changes of the range, in the order etcd made them. */
    void onEvents(List<Event> events);

    /** etcd ended the watch for good: its revision was compacted ({@code COMPACTED}), or it refused it. */
    void onCancelled(EtcdCallException reason);
  }

  private final Channel channel;
  private final Lane events;
  private final Backoff backoff;
  private final String endpoints;
  private final String meanwhile;
  private final Set<Watch> watches = new LinkedHashSet<>();
  private final ArrayDeque<Watch> creating = new ArrayDeque<>(); // create requests sent, answered in order
  private final Map<Long, Watch> byId = new HashMap<>();
  private final AtomicLong received = new AtomicLong();
  private ClientCall<WatchRequest, WatchResponse> call;
  private StreamObserver<WatchRequest> requests;
  private Object generation; // identifies the current stream; callbacks of older ones are dropped
  private boolean reconnectScheduled;
  private boolean broken; // logged once per outage, not once per attempt
  private boolean closed;

  /** {@code meanwhile} says in the log what its owner does while the stream is broken. */
  WatchStream(Channel channel, Lane events, Backoff backoff, String endpoints, String meanwhile) {
    Metadata headers = new Metadata();
    headers.put(REQUIRE_LEADER, "true");
    this.channel = ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
    this.events = events;
    this.backoff = backoff;
    this.endpoints = endpoints;
    this.meanwhile = meanwhile;
  }

  /** Watches {@code range} from {@code fromRevision} on; call on the events lane. */
  Watch open(KeyRange range, long fromRevision, Listener listener) {
    Watch watch = new Watch(range, fromRevision, listener);
    if (closed) {
      return watch;
    }
    watches.add(watch);
    if (requests != null) {
      sendCreate(watch);
    } else if (!reconnectScheduled) {
      connect();
    }
    return watch;
  }

  /** Changes received so far, over every watch and stream (for monitoring and tests). */
  long received() {
    return received.get();
  }

  /** How many watches are open. */
  int size() {
    return watches.size();
  }

  /** Ends the stream and every watch on it; call on the events lane. */
  void close() {
    closed = true;
    generation = null;
    watches.clear();
    if (call != null) {
      call.cancel("the registry is closed", null);
      call = null;
      requests = null;
    }
  }

  private void connect() {
    Object current = new Object();
    generation = current;
    call = channel.newCall(WatchGrpc.getWatchMethod(), CallOptions.DEFAULT);
    requests = ClientCalls.asyncBidiStreamingCall(call, new StreamObserver<>() {
      @Override
      public void onNext(WatchResponse response) {
        events.execute(() -> onResponse(current, response));
      }

      @Override
      public void onError(Throwable error) {
        events.execute(() -> onBroken(current, error));
      }

      @Override
      public void onCompleted() {
        events.execute(() -> onBroken(current, null));
      }
    });
    creating.clear();
    byId.clear();
    for (Watch watch : watches) {
      sendCreate(watch);
    }
  }

  private void sendCreate(Watch watch) {
    watch.id = -1;
    creating.add(watch);
    // No progress notifications: etcd 3.4 before 3.4.24 may send one ahead of events still to come
    // (etcd-io/etcd#15220), and trusting it would skip them. A compacted revision costs one read.
    requests.onNext(WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder()
        .setKey(watch.range.start()).setRangeEnd(watch.range.end())
        .setStartRevision(watch.nextRevision)).build());
  }

  private void cancel(Watch watch) {
    if (watch.cancelled) {
      return;
    }
    watch.cancelled = true;
    watches.remove(watch);
    if (watch.id >= 0) {
      byId.remove(watch.id);
      sendCancel(watch.id);
    } // else: still being created; cancelled when etcd answers with its id
  }

  private void sendCancel(long id) {
    if (requests != null) {
      requests.onNext(WatchRequest.newBuilder()
          .setCancelRequest(WatchCancelRequest.newBuilder().setWatchId(id)).build());
    }
  }

  private void onResponse(Object from, WatchResponse response) {
    if (from != generation || closed) {
      return;
    }
    if (response.getCreated()) {
      onCreatedResponse(response);
      return;
    }
    Watch watch = byId.get(response.getWatchId());
    if (watch == null) {
      return; // cancelled by us meanwhile
    }
    if (response.getCanceled()) {
      byId.remove(watch.id);
      watches.remove(watch);
      watch.cancelled = true;
      watch.listener.onCancelled(cancelReason(watch, response));
      return;
    }
    int count = response.getEventsCount();
    if (count > 0) {
      watch.nextRevision = response.getEvents(count - 1).getKv().getModRevision() + 1;
      received.addAndGet(count);
      watch.listener.onEvents(response.getEventsList());
    }
  }

  private void onCreatedResponse(WatchResponse response) {
    Watch watch = creating.poll();
    if (watch == null) {
      return;
    }
    long id = response.getWatchId();
    if (watch.cancelled) {
      if (id >= 0 && !response.getCanceled()) {
        sendCancel(id);
      }
      return;
    }
    if (id < 0 || response.getCanceled()) {
      watches.remove(watch);
      watch.cancelled = true;
      watch.listener.onCancelled(cancelReason(watch, response));
      return;
    }
    watch.id = id;
    byId.put(id, watch);
    if (broken) {
      log.info("watching {} key range(s) again at {}", watches.size(), endpoints);
      broken = false;
    }
    backoff.reset();
    watch.listener.onCreated(response.getHeader().getRevision());
  }

  private static EtcdCallException cancelReason(Watch watch, WatchResponse response) {
    if (response.getCompactRevision() != 0) {
      return new EtcdCallException(EtcdCallException.Kind.COMPACTED, "watch " + watch.range + " from revision "
          + watch.nextRevision + ": compacted up to " + response.getCompactRevision(), null);
    }
    return new EtcdCallException(EtcdCallException.Kind.REFUSED, "watch " + watch.range + ": cancelled by etcd ("
        + response.getCancelReason() + ")", null);
  }

  private void onBroken(Object from, Throwable error) {
    if (from != generation || closed) {
      return;
    }
    generation = null;
    call = null;
    requests = null;
    creating.clear();
    byId.clear();
    EtcdCallException failure = error == null
        ? new EtcdCallException(EtcdCallException.Kind.UNREACHABLE, "watch stream ended by etcd", null)
        : EtcdCallException.classify("watch stream", error);
    log.debug("watch stream at {} broke", endpoints, error);
    if (!broken) {
      log.warn("watch stream at {} broke ({}); {} until it is back ({} key range(s) watched)", endpoints,
          failure.getMessage(), meanwhile, watches.size());
      broken = true;
    }
    reconnectScheduled = events.schedule(this::reconnect, backoff.nextMillis()) != null;
  }

  private void reconnect() {
    reconnectScheduled = false;
    if (!closed && requests == null) {
      connect();
    }
  }

  /** One watch of a range; cancel it on the events lane. */
  final class Watch {
    private final KeyRange range;
    private final Listener listener;
    private long nextRevision;
    private long id = -1;
    private boolean cancelled;

    private Watch(KeyRange range, long fromRevision, Listener listener) {
      this.range = range;
      this.nextRevision = fromRevision;
      this.listener = listener;
    }

    /** Stops the watch; harmless twice. Call on the events lane. */
    void cancel() {
      WatchStream.this.cancel(this);
    }
  }
}
