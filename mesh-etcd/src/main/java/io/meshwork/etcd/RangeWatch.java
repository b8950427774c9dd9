package io.meshwork.etcd;

import io.etcd.jetcd.api.Event;
import io.etcd.jetcd.api.KeyValue;
import io.etcd.jetcd.api.RangeResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a {@link Sink} equal to what etcd holds in one key range: a read of the range, then a watch
 * from the revision after it. A watch that broke resumes from the last revision applied (the
 * {@link WatchStream} does that); when etcd no longer has that revision (compacted) or its history
 * went backwards (restored, wiped), the range is read again and the sink gets the fresh state. Runs
 * on the registry's events lane.
 */
final class RangeWatch implements WatchStream.Listener {

  private static final Logger log = LoggerFactory.getLogger(RangeWatch.class);

  /** Where the range's keys go; called on the events lane. */
  interface Sink {
    /** The whole range as a fresh read found it: anything not in {@code all} is gone. */
    void replace(List<KeyValue> all);

    /** Changes, in the order etcd made them. */
    void apply(List<Event> events);
  }

  private final KeyRange range;
  private final Sink sink;
  private final WatchStream stream;
  private final EtcdRpc rpc;
  private final Lane events;
  private final Backoff backoff;
  private final AtomicInteger reloads;
  private final PriorityQueue<RevisionWaiter> waiters = new PriorityQueue<>();
  private volatile long revision; // the last revision applied to the sink; written on the events lane
  private WatchStream.Watch watch;
  private Object reading; // the read under way, if any; its answer is dropped once another started
  private boolean closed;

  /** {@code reloads} counts reads made again after a compaction or a history that went back. */
  RangeWatch(KeyRange range, Sink sink, WatchStream stream, EtcdRpc rpc, Lane events, Backoff backoff,
      AtomicInteger reloads) {
    this.range = range;
    this.sink = sink;
    this.stream = stream;
    this.rpc = rpc;
    this.events = events;
    this.backoff = backoff;
    this.reloads = reloads;
  }

  /** The sink already holds the range as it was at {@code read}: watches what changes after. */
  void startAt(long read) {
    revision = read;
    releaseWaiters();
    watch = stream.open(range, read + 1, this);
  }

  /** Reads the range, hands it to the sink, then watches it; in the background. */
  void startWithRead() {
    read(false);
  }

  /** Stops watching; call on the events lane. */
  void close() {
    closed = true;
    reading = null;
    if (watch != null) {
      watch.cancel();
    }
  }

  KeyRange range() {
    return range;
  }

  /**
   * Completes once the sink holds revision {@code wanted}: a registry then sees its own write in its
   * discovery. Never completes exceptionally; the caller bounds the wait. Any thread.
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

  @Override
  public void onCreated(long headerRevision) {
    if (headerRevision < revision && !closed) {
      // The member the stream reached is behind what was read: it may only lag the leader (its watch
      // then waits for it to catch up), or etcd's history went back. A linearizable read tells.
      long seen = revision;
      rpc.range(range.read().toBuilder().setCountOnly(true).build()).whenComplete((response, error) ->
          events.execute(() -> {
            if (closed || error != null || response.getHeader().getRevision() >= seen) {
              return; // a lagging member; a failed check is made again when the watch is next created
            }
            log.warn("etcd is at revision {}, behind the {} already seen in {} (restored or wiped):"
                + " reading it again", response.getHeader().getRevision(), seen, range);
            read(true);
          }));
    }
  }

  @Override
  public void onEvents(List<Event> changes) {
    if (closed || reading != null) {
      return;
    }
    List<Event> fresh = new ArrayList<>(changes.size());
    long applied = revision;
    for (Event event : changes) {
      long modified = event.getKv().getModRevision();
      if (modified > revision) { // older ones were applied before a resumed watch replayed them
        fresh.add(event);
        applied = modified;
      }
    }
    if (!fresh.isEmpty()) {
      sink.apply(fresh);
      revision = applied; // only now: a writer waiting for this revision reads the sink next
      releaseWaiters();
    }
  }

  @Override
  public void onCancelled(EtcdCallException reason) {
    if (!closed) {
      log.info("watch of {} cannot go on ({}): reading it again", range, reason.getMessage());
      read(true);
    }
  }

  private void read(boolean again) {
    if (closed) {
      return;
    }
    if (watch != null) {
      watch.cancel();
      watch = null;
    }
    Object current = new Object();
    reading = current;
    rpc.range(range.read()).whenComplete((response, error) -> events.execute(() -> {
      if (reading != current || closed) {
        return;
      }
      reading = null;
      if (error != null) {
        log.debug("reading {} failed: {}", range, EtcdCallException.classify("read " + range, error).getMessage());
        if (events.schedule(() -> read(again), backoff.nextMillis()) == null) {
          closed = true;
        }
        return;
      }
      loaded(response, again);
    }));
  }

  private void loaded(RangeResponse response, boolean again) {
    backoff.reset();
    if (again) {
      reloads.incrementAndGet();
    }
    sink.replace(response.getKvsList());
    startAt(response.getHeader().getRevision());
  }

  private void releaseWaiters() {
    while (!waiters.isEmpty() && waiters.peek().revision() <= revision) {
      waiters.poll().future().complete(null);
    }
  }

  /** A caller waiting for the sink to reach a revision. */
  private record RevisionWaiter(long revision, CompletableFuture<Void> future)
      implements Comparable<RevisionWaiter> {
    @Override
    public int compareTo(RevisionWaiter other) {
      return Long.compare(revision, other.revision);
    }
  }
}
