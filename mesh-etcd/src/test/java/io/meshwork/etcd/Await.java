package io.meshwork.etcd;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Bounded waits for a condition: tests wait on what happens, never on time passing. */
final class Await {

  private Await() {}

  /** Waits until {@code condition} holds, polling every few milliseconds; fails after {@code bound}. */
  static void until(Duration bound, BooleanSupplier condition, Supplier<String> describe) {
    long end = System.nanoTime() + bound.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError(describe.get() + " (not within " + bound + ")");
      }
      try {
        Thread.sleep(5); // poll interval only
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }

  /** {@link #until(Duration, BooleanSupplier, Supplier)} with a fixed message. */
  static void until(Duration bound, BooleanSupplier condition, String what) {
    until(bound, condition, () -> what);
  }
}
