package io.meshwork.etcd;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one lease a registry's instances are attached to. {@link KeepAlive} keeps it alive and reports
 * a lease that is gone; this class then forgets it and tells its owner, who grants a new one and puts
 * its keys again. A lease given up only because etcd did not answer may still be in etcd (which gives
 * every lease a new TTL when it restarts), holding keys not put again, such as an instance deregistered
 * meanwhile: such leases are revoked once the new one holds the keys, and on close. Everything but
 * the loss report runs on the owner's writer lane.
 */
final class LeaseKeeper {

  private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);

  private final EtcdRpc rpc;
  private final KeepAlive keepAlive;
  private final long ttlSeconds;
  private final Lane writer;
  private final LongConsumer onLost;
  private final String endpoints;

  private final Set<Long> doubtful = new LinkedHashSet<>(); // given up for lack of an answer
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
    keepAlive.keep(id, (lost, reason, maybeAlive) -> writer.execute(() -> {
      if (forget(lost, reason)) {
        if (maybeAlive) {
          doubtful.add(lost);
        }
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
   * Revokes, in the background, the leases given up for lack of an answer: the keys put again are
   * under the current lease now, so what those still hold is what should be gone.
   */
  void revokeDoubtful() {
    for (long id : List.copyOf(doubtful)) {
      rpc.revoke(id).whenComplete((ok, error) -> writer.execute(() -> {
        if (error == null || EtcdCallException.classify("revoke", error).kind()
            == EtcdCallException.Kind.LEASE_NOT_FOUND) {
          doubtful.remove(id);
        }
      }));
    }
  }

  /**
   * Revokes the current lease, and those given up for lack of an answer, so that their keys vanish
   * now; one attempt each. Returns the leases that could not be revoked, with why (empty when all
   * are done, or etcd no longer had them).
   */
  Unrevoked revoke() {
    keepAlive.stop();
    List<Long> ids = new ArrayList<>(doubtful);
    if (leaseId != 0) {
      ids.add(0, leaseId);
    }
    leaseId = 0;
    visibleLeaseId = 0;
    doubtful.clear();
    List<Long> left = new ArrayList<>();
    EtcdCallException why = null;
    for (long id : ids) {
      try {
        rpc.await("revoke lease " + Long.toHexString(id), rpc.revoke(id));
      } catch (EtcdCallException e) {
        if (e.kind() != EtcdCallException.Kind.LEASE_NOT_FOUND) {
          left.add(id);
          why = e;
        }
      }
    }
    return new Unrevoked(left, why);
  }

  /**
   * Leases a close could not revoke.
   *
   * @param ids their ids, the current lease first
   * @param why the last failure, or null when {@code ids} is empty
   */
  record Unrevoked(List<Long> ids, EtcdCallException why) {}
}
