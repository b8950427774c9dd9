package io.meshwork.registry;

/** A registry watch; cancelling it stops further notifications. Cancelling twice is harmless. */
@FunctionalInterface
public interface Subscription extends AutoCloseable {

  /** Stops notifications. */
  void cancel();

  @Override
  default void close() {
    cancel();
  }
}
