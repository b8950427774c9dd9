package io.meshwork.netty.testing.leaks;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;

/**
 * The leaks the fixtures make. A leak is made on a fresh thread, so its trace holds no frame of the
 * calling class: two classes calling it leave identical traces, which Netty alone would report once.
 */
final class Leaks {

  private Leaks() {}

  /** Allocates a buffer on another thread and drops it without releasing it. */
  static void dropOne() throws InterruptedException {
    Thread thread = new Thread(Leaks::allocate, "leaking-thread");
    thread.start();
    thread.join();
  }

  /** A buffer nobody will release; the caller decides when it becomes garbage. */
  static ByteBuf allocate() {
    ByteBuf buffer = PooledByteBufAllocator.DEFAULT.directBuffer(256);
    buffer.writeLong(42);
    return buffer;
  }
}
