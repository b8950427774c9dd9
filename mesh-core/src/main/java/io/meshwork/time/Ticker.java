package io.meshwork.time;

/**
 * A source of monotonic time in nanoseconds, as {@link System#nanoTime()}. Everything in the mesh that
 * depends on time reads it from a ticker, so tests advance a {@link FakeTicker} instead of sleeping.
 */
@FunctionalInterface
public interface Ticker {

  /** Monotonic nanoseconds from an arbitrary origin. */
  long nanoTime();

  /** The system's monotonic clock. */
  static Ticker system() {
    return System::nanoTime;
  }
}
