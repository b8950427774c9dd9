package io.meshwork.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The count of a mesh's calls in flight, so that closing the mesh can wait for them (up to its
 * shutdown grace) and the last one to end after the close can release what they still needed.
 */
final class InFlightCalls {

  private final AtomicInteger count = new AtomicInteger();
  private final Object lock = new Object();

  /** Counts a call that starts. */
  void started() {
    count.incrementAndGet();
  }

  /**
   * Counts a call that ended; true when it was the last one in flight and the mesh is {@code closed},
   * which wakes {@link #await}.
   */
  boolean ended(boolean closed) {
    if (count.decrementAndGet() == 0 && closed) {
      synchronized (lock) {
        lock.notifyAll();
      }
      return true;
    }
    return false;
  }

  /** Whether no call is in flight. */
  boolean none() {
    return count.get() == 0;
  }

  /** Waits (really: close is a blocking call) until no call is in flight or the grace has passed. */
  void await(long graceNanos) {
    long end = System.nanoTime() + graceNanos;
    synchronized (lock) {
      while (count.get() > 0) {
        long left = end - System.nanoTime();
        if (left <= 0) {
          return;
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(lock, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }
}
