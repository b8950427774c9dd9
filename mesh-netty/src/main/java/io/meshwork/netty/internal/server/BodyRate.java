package io.meshwork.netty.internal.server;

import java.util.concurrent.TimeUnit;

/**
 * The slowest a request body may arrive: once the grace has passed, at least
 * {@code minBytesPerSecond} on average since its head (Kestrel's MinRequestBodyDataRate), so a client
 * cannot hold a request open with a trickle of bytes. Time the server itself stops reading is the
 * server's business and not counted against the client (see the callers).
 */
final class BodyRate {

  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
  /** The least time between two checks of one body. */
  private static final long MIN_CHECK_DELAY = TimeUnit.MILLISECONDS.toNanos(100);

  private final int minBytesPerSecond;
  private final long graceNanos;

  BodyRate(int minBytesPerSecond, long graceNanos) {
    this.minBytesPerSecond = minBytesPerSecond;
    this.graceNanos = graceNanos;
  }

  /** Whether there is a minimum at all. */
  boolean enforced() {
    return minBytesPerSecond > 0;
  }

  /** Whether a body begun at {@code startNanos} with {@code bytes} so far is too slow at {@code nowNanos}. */
  boolean tooSlow(long startNanos, long bytes, long nowNanos) {
    long elapsed = nowNanos - startNanos - graceNanos;
    return elapsed > 0 && bytes < (double) minBytesPerSecond * elapsed / SECOND;
  }

  /** How long from {@code nowNanos} until that body would be too slow if no more bytes came. */
  long nanosUntilDue(long startNanos, long bytes, long nowNanos) {
    long due = startNanos + graceNanos + (long) ((bytes + 1) * (double) SECOND / minBytesPerSecond);
    return Math.max(MIN_CHECK_DELAY, due - nowNanos);
  }
}
