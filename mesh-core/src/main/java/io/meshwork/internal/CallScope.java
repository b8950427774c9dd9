package io.meshwork.internal;

import io.meshwork.time.Ticker;

/**
 * The inbound request a thread is handling, as gRPC's and Finagle's contexts: its deadline bounds
 * the calls the handler makes, so the remaining time travels down a chain of services. Set on the
 * thread while the handler runs, and again while the futures of the calls it made complete, so
 * their callbacks see it too.
 */
final class CallScope {

  private static final ThreadLocal<CallScope> CURRENT = new ThreadLocal<>();

  private final Ticker ticker;
  private final long deadlineNanos;

  private CallScope(Ticker ticker, long deadlineNanos) {
    this.ticker = ticker;
    this.deadlineNanos = deadlineNanos;
  }

  /** A scope whose deadline is {@code remainingNanos} from now on {@code ticker}. */
  static CallScope withDeadline(Ticker ticker, long remainingNanos) {
    return new CallScope(ticker, ticker.nanoTime() + remainingNanos);
  }

  /** The scope of the calling thread, or null. */
  static CallScope current() {
    return CURRENT.get();
  }

  /** The time left before the inbound deadline; zero or less once it has passed. */
  long remainingNanos() {
    return deadlineNanos - ticker.nanoTime();
  }

  /** Runs {@code task} with this scope current on this thread, then restores what was there. */
  void run(Runnable task) {
    CallScope previous = CURRENT.get();
    CURRENT.set(this);
    try {
      task.run();
    } finally {
      if (previous == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(previous);
      }
    }
  }

  /** Makes this scope current on the calling thread; the result restores what was there. */
  Restore enter() {
    CallScope previous = CURRENT.get();
    CURRENT.set(this);
    return previous == null ? CURRENT::remove : () -> CURRENT.set(previous);
  }

  /** Puts back the scope that was current before {@link #enter()}. */
  @FunctionalInterface
  interface Restore extends AutoCloseable {
    @Override
    void close();
  }
}
