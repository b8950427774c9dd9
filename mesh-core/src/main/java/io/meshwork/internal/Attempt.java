package io.meshwork.internal;

import io.meshwork.registry.ServiceInstance;
import java.util.concurrent.CompletableFuture;

/**
 * One attempt of a call. The innermost stage the attempt has reached attaches its future here, so a
 * timer can abort the attempt wherever it is: queued for a slot or on the wire.
 */
final class Attempt {

  final int number;
  /** The instance the attempt went to; set by the balance stage. */
  private volatile ServiceInstance instance;
  private volatile CompletableFuture<?> current;
  private volatile Throwable abort;

  Attempt(int number) {
    this.number = number;
  }

  /** The instance the balance stage picked; fails clearly when no balance stage has run. */
  ServiceInstance instance() {
    ServiceInstance picked = instance;
    if (picked == null) {
      throw ContextValue.INSTANCE.missing();
    }
    return picked;
  }

  /** The picked instance, or null before the balance stage has picked one. */
  ServiceInstance instanceOrNull() {
    return instance;
  }

  void pick(ServiceInstance picked) {
    this.instance = picked;
  }

  /** The attempt is now represented by {@code future}; an abort already asked for applies to it. */
  void attach(CompletableFuture<?> future) {
    current = future;
    Throwable cause = abort;
    if (cause != null) {
      future.completeExceptionally(cause);
    }
  }

  /** Ends the attempt with {@code cause}, wherever it is now. */
  void abort(Throwable cause) {
    abort = cause;
    CompletableFuture<?> future = current;
    if (future != null) {
      future.completeExceptionally(cause);
    }
  }
}
