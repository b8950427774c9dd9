package io.meshwork.time;

import java.util.concurrent.TimeUnit;

/**
 * Runs tasks after a delay measured on a {@link Ticker}: deadlines, per-try timeouts, retry backoff.
 * Tasks must be short and must not block.
 */
public interface Scheduler {

  /** Runs {@code task} once after {@code delay}; the handle cancels it. */
  Cancellable schedule(Runnable task, long delay, TimeUnit unit);

  /** A scheduled task that may be cancelled. */
  @FunctionalInterface
  interface Cancellable {
    /** Cancels the task if it has not run; returns whether it was cancelled by this call. */
    boolean cancel();
  }
}
