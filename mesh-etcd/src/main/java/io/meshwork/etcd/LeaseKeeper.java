package io.meshwork.etcd;

import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one lease a registry's instances are attached to. {@link KeepAlive} keeps it alive and reports
 * a lease that is gone; this class then forgets it and tells its owner, who grants a new one and puts
 * its keys again. Everything but the loss report runs on the owner's writer lane.
 */
final class LeaseKeeper {

  private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);

  private final EtcdRpc rpc;
  private final KeepAlive keepAlive;
  private final long ttlSeconds;
  private final Lane writer;
  private final LongConsumer onLost;
  private final String endpoints;

  private long leaseId; // 0: none granted, or the last one was lost
  private volatile long visibleLeaseId; // leaseId, for other threads (tests, logs)

  /** {@code onLost} runs on {@code writer} with the id of a lease that is gone. */
  LeaseKeeper(EtcdRpc rpc, KeepAlive keepAlive, EtcdSettings settings, Lane writer, LongConsumer onLost) {
    this.rpc = rpc;
    this.keepAlive = keepAlive;
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
    long id = rpc.await("grant a lease", rpc.grant(ttlSeconds)).getID();
    leaseId = id;
    visibleLeaseId = id;
    keepAlive.keep(id, (lost, reason) -> writer.execute(() -> {
      if (forget(lost, reason)) {
        onLost.accept(lost);
      }
    }));
    log.debug("granted lease {} ({} s) at {}", Long.toHexString(id), ttlSeconds, endpoints);
    return id;
  }

  /** Forgets lease {@code id} if it is the current one; returns whether it was. */
  boolean forget(long id, String reason) {
    if (id == 0 || id != leaseId) {
      return false;
    }
    log.warn("lease {} at {} lost ({})", Long.toHexString(id), endpoints, reason);
    keepAlive.stop();
    leaseId = 0;
    visibleLeaseId = 0;
    return true;
  }

  /**
   * Revokes the current lease, so that its keys vanish now, in one attempt. Returns null when that
   * is done (or there was none, or etcd no longer had it), else why it could not be.
   */
  EtcdCallException revoke() {
    keepAlive.stop();
    long id = leaseId;
    leaseId = 0;
    visibleLeaseId = 0;
    if (id == 0) {
      return null;
    }
    try {
      rpc.await("revoke lease " + Long.toHexString(id), rpc.revoke(id));
      return null;
    } catch (EtcdCallException e) {
      return e.kind() == EtcdCallException.Kind.LEASE_NOT_FOUND ? null : e;
    }
  }
}
