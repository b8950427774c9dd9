package io.meshwork.controlplane.server.store;

import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The listeners of a store's changes; one that throws is logged and the others still hear the change. */
final class ChangeListeners {

  private static final Logger log = LoggerFactory.getLogger(ChangeListeners.class);

  private final CopyOnWriteArrayList<Consumer<StateStore.Change>> listeners = new CopyOnWriteArrayList<>();

  /**
   * Tells {@code listener} every entry of {@code current}, then adds it. The caller holds the lock
   * under which it changes {@code current} and publishes, so the listener misses nothing.
   */
  void addAfter(Map<String, String> current, Consumer<StateStore.Change> listener) {
    current.forEach((key, value) -> tell(listener, new StateStore.Change(key, value)));
    listeners.add(listener);
  }

  void publish(StateStore.Change change) {
    for (Consumer<StateStore.Change> listener : listeners) {
      tell(listener, change);
    }
  }

  private static void tell(Consumer<StateStore.Change> listener, StateStore.Change change) {
    try {
      listener.accept(change);
    } catch (RuntimeException e) {
      log.error("state listener failed on {}", change.key(), e);
    }
  }

  void clear() {
    listeners.clear();
  }
}
