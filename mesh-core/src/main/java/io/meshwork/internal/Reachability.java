package io.meshwork.internal;

import java.util.concurrent.TimeUnit;

/**
 * Which instances of a destination could not be connected to lately, as gRPC's subchannels in
 * transient failure: an attempt that ends with a {@code ConnectFailedException} (refused, timed out,
 * no route, a failed TLS handshake, a stream refused by a server going away) makes its instance
 * unreachable for a backoff of 1 s, doubled for each further such failure up to 30 s, and a
 * success makes it reachable again. {@link Eligibility} leaves unreachable instances out of the
 * pick, in panic mode too, unless no reachable one is left: panic routing exists to try instances
 * that may be fine, and an instance that refuses connections is not one of them (a restarted
 * instance must not take a third of the calls while a neighbour is ejected). When the backoff ends
 * the instance is picked again, and that attempt is its probe.
 */
final class Reachability {

  /** How long a first failure to connect leaves an instance out. */
  static final long FIRST_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(1);
  /** The longest an instance is left out at a time, however often it failed. */
  static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(30);

  private final Runnable changed;

  /** {@code changed} is told whenever an instance becomes unreachable or reachable again. */
  Reachability(Runnable changed) {
    this.changed = changed;
  }

  /** An attempt on {@code endpoint} could not reach it at {@code now}. */
  void unreachable(Endpoint endpoint, long now) {
    synchronized (endpoint) {
      if (endpoint.connectFailures != 0 && now - endpoint.unreachableUntilNanos < 0) {
        return; // the other attempts that waited on the same connection: one failure, not many
      }
      int failures = endpoint.connectFailures + 1;
      long backoff = Math.min(FIRST_BACKOFF_NANOS << Math.min(failures - 1, 30), MAX_BACKOFF_NANOS);
      endpoint.connectFailures = failures;
      endpoint.unreachableUntilNanos = now + backoff;
    }
    changed.run();
  }

  /** An attempt on {@code endpoint} got an answer: it is reachable (cheap when it already was). */
  void reached(Endpoint endpoint) {
    if (endpoint.connectFailures == 0) {
      return;
    }
    synchronized (endpoint) {
      endpoint.connectFailures = 0;
    }
    changed.run();
  }

  /** When {@code endpoint}'s backoff ends, or {@link Long#MIN_VALUE} when it is reachable at {@code now}. */
  static long unreachableUntil(Endpoint endpoint, long now) {
    synchronized (endpoint) {
      if (endpoint.connectFailures == 0 || now - endpoint.unreachableUntilNanos >= 0) {
        return Long.MIN_VALUE;
      }
      return endpoint.unreachableUntilNanos;
    }
  }
}
