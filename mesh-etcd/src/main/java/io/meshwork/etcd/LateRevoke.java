package io.meshwork.etcd;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Revokes the lease of a registry that was closed while etcd did not answer, as soon as etcd answers
 * again: etcd gives every lease a whole new TTL when it restarts, so without this the closed
 * process's instances would outlive the outage by a TTL and cost callers failed attempts. It keeps
 * the connection open while it tries, for a bounded time; the JVM may exit meanwhile (its threads
 * are daemons), and the lease then expires by itself.
 */
final class LateRevoke {

  private static final Logger log = LoggerFactory.getLogger(LateRevoke.class);

  /** How long a closed registry keeps trying. */
  static final Duration WINDOW = Duration.ofMinutes(5);

  private final EtcdConnection connection;
  private final EtcdRpc rpc;
  private final long leaseId;
  private final Backoff backoff;
  private final String endpoints;
  private final Lane lane;
  private final long endNanos;

  private LateRevoke(EtcdConnection connection, EtcdRpc rpc, long leaseId, Backoff backoff, String endpoints) {
    this.connection = connection;
    this.rpc = rpc;
    this.leaseId = leaseId;
    this.backoff = backoff;
    this.endpoints = endpoints;
    this.lane = connection.writerLane();
    this.endNanos = System.nanoTime() + WINDOW.toNanos();
  }

  /** Starts trying in the background; holds the connection (already retained for it) until done. */
  static void start(EtcdConnection retained, EtcdRpc rpc, long leaseId, Backoff backoff, String endpoints) {
    LateRevoke revoke = new LateRevoke(retained, rpc, leaseId, backoff, endpoints);
    revoke.lane.schedule(revoke::attempt, backoff.nextMillis());
  }

  private void attempt() {
    rpc.revoke(leaseId).whenComplete((ok, error) -> lane.execute(() -> {
      EtcdCallException failure = error == null ? null : EtcdCallException.classify("revoke", error);
      if (failure == null || failure.kind() == EtcdCallException.Kind.LEASE_NOT_FOUND) {
        log.info("lease {} of a closed registry revoked at {} now that etcd answers again: its instances"
            + " are gone", Long.toHexString(leaseId), endpoints);
        connection.release();
      } else if (System.nanoTime() > endNanos) {
        log.info("gave up revoking lease {} at {} after {} min ({}): its instances expire with it",
            Long.toHexString(leaseId), endpoints, WINDOW.toMinutes(), failure.getMessage());
        connection.release();
      } else if (lane.schedule(this::attempt, backoff.nextMillis()) == null) {
        connection.release();
      }
    }));
  }
}
