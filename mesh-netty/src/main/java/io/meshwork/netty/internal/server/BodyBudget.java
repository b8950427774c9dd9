package io.meshwork.netty.internal.server;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The request body bytes a connection or a whole server may hold at once. Bytes are reserved as
 * they arrive, never from what a head declares, and given back when the request is answered or
 * abandoned; a reservation that would pass the capacity is refused, and the request with it.
 * Thread-safe: a server's budget is shared by all its event loops.
 */
final class BodyBudget {

  private final long capacity;
  private final AtomicLong used = new AtomicLong();

  BodyBudget(long capacity) {
    this.capacity = capacity;
  }

  /** Reserves {@code bytes}; false, reserving nothing, when that would pass the capacity. */
  boolean tryReserve(long bytes) {
    while (true) {
      long now = used.get();
      if (now + bytes > capacity) {
        return false;
      }
      if (used.compareAndSet(now, now + bytes)) {
        return true;
      }
    }
  }

  /** Gives back {@code bytes} reserved earlier. */
  void release(long bytes) {
    used.addAndGet(-bytes);
  }

  /** The bytes reserved now. */
  long used() {
    return used.get();
  }
}
