package io.meshwork.etcd;

import io.etcd.jetcd.api.LeaseGrpc;
import io.etcd.jetcd.api.LeaseKeepAliveRequest;
import io.etcd.jetcd.api.LeaseKeepAliveResponse;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one lease alive on one gRPC stream of its own: a keep-alive every third of the TTL, the
 * stream opened again when it breaks. The lease is reported lost when etcd says it no longer knows
 * it; when no keep-alive was answered for a whole TTL, etcd is asked how long the lease has left, and
 * it is reported lost unless etcd answers that it is alive. The owner then grants a new one and puts
 * its keys again. Asking first matters in a large fleet: an etcd that is only slow must not make
 * every process re-register at once, which would slow it down further. Runs on the registry's events
 * lane, whose tasks never wait for a write, so that a slow write cannot starve the keep-alives.
 */
final class KeepAlive {

  private static final Logger log = LoggerFactory.getLogger(KeepAlive.class);

  private final Channel channel;
  private final EtcdRpc rpc;
  private final Lane events;
  private final long ttlNanos;
  private final long periodMillis;
  private final String endpoints;
  private long leaseId; // 0: none
  private Lost lost;
  private long answeredAt;
  private ClientCall<LeaseKeepAliveRequest, LeaseKeepAliveResponse> call;
  private StreamObserver<LeaseKeepAliveRequest> requests;
  private ScheduledFuture<?> tick;
  private boolean checking; // a time-to-live question is under way

  KeepAlive(Channel channel, EtcdRpc rpc, Lane events, long ttlSeconds, String endpoints) {
    this.channel = channel;
    this.rpc = rpc;
    this.events = events;
    this.ttlNanos = ttlSeconds * 1_000_000_000L;
    this.periodMillis = Math.max(100, ttlSeconds * 1000 / 3);
    this.endpoints = endpoints;
  }

  /** Keeps {@code id} alive from now on (instead of any earlier lease); {@code lost} hears of its loss. */
  void keep(long id, Lost lost) {
    events.execute(() -> {
      stopOnLane();
      this.leaseId = id;
      this.lost = lost;
      this.answeredAt = System.nanoTime(); // just granted: it has its whole TTL
      schedule();
    });
  }

  /** Stops keeping any lease alive. */
  void stop() {
    events.execute(this::stopOnLane);
  }

  private void schedule() {
    tick = events.schedule(this::tick, periodMillis);
  }

  private void tick() {
    if (leaseId == 0) {
      return;
    }
    if (System.nanoTime() - answeredAt > ttlNanos && !checking) {
      check(leaseId);
    }
    if (requests == null) {
      open();
    }
    requests.onNext(LeaseKeepAliveRequest.newBuilder().setID(leaseId).build());
    schedule();
  }

  private void open() {
    long id = leaseId;
    call = channel.newCall(LeaseGrpc.getLeaseKeepAliveMethod(), CallOptions.DEFAULT);
    ClientCall<LeaseKeepAliveRequest, LeaseKeepAliveResponse> current = call;
    requests = ClientCalls.asyncBidiStreamingCall(call, new StreamObserver<>() {
      @Override
      public void onNext(LeaseKeepAliveResponse response) {
        events.execute(() -> answered(id, response));
      }

      @Override
      public void onError(Throwable error) {
        events.execute(() -> broken(current, error));
      }

      @Override
      public void onCompleted() {
        events.execute(() -> broken(current, null));
      }
    });
  }

  /** No keep-alive answer for a TTL: asks etcd whether the lease lives, on a call of its own. */
  private void check(long id) {
    checking = true;
    rpc.timeToLive(id).whenComplete((response, error) -> events.execute(() -> {
      checking = false;
      if (id != leaseId) {
        return;
      }
      if (error != null) {
        report("no keep-alive answer within its " + ttlNanos / 1_000_000_000L + " s TTL, and no answer to"
            + " whether it lives (" + EtcdCallException.classify("time to live", error).getMessage() + ")", true);
      } else if (response.getTTL() <= 0) {
        report("etcd no longer knows it", false);
      } else {
        // Alive, but the keep-alives went unanswered: open a new stream for them.
        answeredAt = System.nanoTime();
        if (call != null) {
          call.cancel("keep-alives unanswered", null);
          call = null;
          requests = null;
        }
      }
    }));
  }

  private void answered(long id, LeaseKeepAliveResponse response) {
    if (id != leaseId || response.getID() != leaseId) {
      return;
    }
    if (response.getTTL() <= 0) {
      report("etcd no longer knows it", false);
    } else {
      answeredAt = System.nanoTime();
    }
  }

  private void broken(ClientCall<?, ?> from, Throwable error) {
    if (from != call) {
      return;
    }
    // The next tick opens a new stream; etcd keeps the lease meanwhile, for its TTL.
    log.debug("keep-alive stream of lease {} at {} broke: {}", Long.toHexString(leaseId), endpoints,
        error == null ? "ended by etcd" : EtcdCallException.classify("keep-alive", error).getMessage());
    call = null;
    requests = null;
  }

  private void report(String reason, boolean maybeAlive) {
    long id = leaseId;
    Lost owner = lost;
    stopOnLane();
    owner.lost(id, reason, maybeAlive);
  }

  /** Hears that a lease is gone. */
  interface Lost {
    /**
     * Lease {@code id} is gone, for {@code reason}; {@code maybeAlive} when etcd did not answer, so
     * that it may still have the lease (and gives it a new TTL if it restarts). On the events lane.
     */
    void lost(long id, String reason, boolean maybeAlive);
  }

  private void stopOnLane() {
    leaseId = 0;
    checking = false;
    lost = null;
    if (tick != null) {
      tick.cancel(false);
      tick = null;
    }
    if (call != null) {
      call.cancel("lease no longer kept alive", null);
      call = null;
      requests = null;
    }
  }
}
