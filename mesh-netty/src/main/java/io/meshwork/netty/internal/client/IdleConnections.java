package io.meshwork.netty.internal.client;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loop pool's idle HTTP/1.1 connections, counted into the destination's idle gauge as they come
 * and go, whichever way the pool adds or takes them. Confined to the pool's loop, like the pool.
 */
final class IdleConnections extends ArrayDeque<Http1Connection> {

  private final AtomicLong count;

  IdleConnections(AtomicLong count) {
    this.count = count;
  }

  @Override
  public void addFirst(Http1Connection connection) {
    super.addFirst(connection);
    count.incrementAndGet();
  }

  @Override
  public Http1Connection pollFirst() {
    return counted(super.pollFirst());
  }

  @Override
  public Http1Connection pollLast() {
    return counted(super.pollLast());
  }

  @Override
  public boolean removeFirstOccurrence(Object connection) {
    boolean removed = super.removeFirstOccurrence(connection);
    if (removed) {
      count.decrementAndGet();
    }
    return removed;
  }

  private Http1Connection counted(Http1Connection taken) {
    if (taken != null) {
      count.decrementAndGet();
    }
    return taken;
  }
}
