package io.meshwork.etcd;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.support.CloseableClient;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.Executor;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one lease a registry's instances are attached to, kept alive by jetcd. jetcd reports a lease
 * that is gone ("lease not found", or no keep-alive answer within the TTL) but never recovers from
 * it; this class then forgets the lease and tells its owner, who grants a new one and puts its keys
 * again. A keep-alive stream error alone is not a loss: jetcd reopens the stream, and etcd keeps the
 * lease meanwhile. Everything but the observer's callbacks runs on the owner's writer thread.
 */
final class LeaseKeeper {

  private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);

  private final Client client;
  private final EtcdCalls calls;
  private final long ttlSeconds;
  private final Executor writer;
  private final LongConsumer onLost;
  private final String endpoints;

  private long leaseId; // 0: none granted, or the last one was lost
  private volatile long visibleLeaseId; // leaseId, for other threads (tests, logs)
  private CloseableClient keepAlive;

  /** {@code onLost} runs on {@code writer} with the id of a lease that is gone. */
  LeaseKeeper(Client client, EtcdSettings settings, EtcdCalls calls, Executor writer, LongConsumer onLost) {
    this.client = client;
    this.calls = calls;
    this.ttlSeconds = settings.leaseTtl().toSeconds();
    this.writer = writer;
    this.onLost = onLost;
    this.endpoints = settings.endpointList();
  }

  /** The lease now held, or 0. */
  long current() {
    return leaseId;
  }

  /** The lease now held, or 0; readable from any thread. */
  long visible() {
    return visibleLeaseId;
  }

  /** Grants a lease and starts keeping it alive; throws {@link EtcdCallException} when etcd does not. */
  long grant() {
    long id = calls.await("grant a lease", () -> client.getLeaseClient().grant(ttlSeconds)).getID();
    leaseId = id;
    visibleLeaseId = id;
    keepAlive = client.getLeaseClient().keepAlive(id, new Observer(id));
    log.debug("granted lease {} ({} s) at {}", Long.toHexString(id), ttlSeconds, endpoints);
    return id;
  }

  /** Forgets lease {@code id} if it is the current one; returns whether it was. */
  boolean forget(long id, String reason) {
    if (id == 0 || id != leaseId) {
      return false;
    }
    log.warn("lease {} at {} lost ({})", Long.toHexString(id), endpoints, reason);
    stopKeepAlive();
    leaseId = 0;
    visibleLeaseId = 0;
    return true;
  }

  /** Revokes the current lease, so that its keys vanish now; logs when etcd does not answer. */
  void revoke() {
    stopKeepAlive();
    long id = leaseId;
    leaseId = 0;
    visibleLeaseId = 0;
    if (id == 0) {
      return;
    }
    try {
      calls.await("revoke lease", () -> client.getLeaseClient().revoke(id));
    } catch (EtcdCallException e) {
      log.warn("could not revoke lease {} at {} ({}): what it holds vanishes within {} s",
          Long.toHexString(id), endpoints, e.getMessage(), ttlSeconds);
    }
  }

  private void stopKeepAlive() {
    if (keepAlive != null) {
      keepAlive.close();
      keepAlive = null;
    }
  }

  /** Hears jetcd's keep-alive stream for one lease; hands real losses to the writer thread. */
  private final class Observer implements StreamObserver<LeaseKeepAliveResponse> {
    private final long id;

    Observer(long id) {
      this.id = id;
    }

    @Override
    public void onNext(LeaseKeepAliveResponse response) {
      // Alive: nothing to do.
    }

    @Override
    public void onError(Throwable error) {
      EtcdCallException failure = EtcdCallException.classify("keep lease alive", error);
      if (failure.kind() == EtcdCallException.Kind.LEASE_NOT_FOUND) {
        lost("etcd no longer knows it");
      } else {
        log.debug("keep-alive stream of lease {} broke ({}); jetcd reopens it",
            Long.toHexString(id), failure.getMessage());
      }
    }

    @Override
    public void onCompleted() {
      lost("no keep-alive answer within its " + ttlSeconds + " s TTL");
    }

    private void lost(String reason) {
      writer.execute(() -> {
        if (forget(id, reason)) {
          onLost.accept(id);
        }
      });
    }
  }
}
