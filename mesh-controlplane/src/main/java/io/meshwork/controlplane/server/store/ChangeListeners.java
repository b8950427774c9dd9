package io.meshwork.controlplane.server.store;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The listeners of a store's changes; one that throws is logged and the others still hear the change. */
final class ChangeListeners {

  private static final Logger log = LoggerFactory.getLogger(ChangeListeners.class);

  private final CopyOnWriteArrayList<Consumer<StateStore.Change>> listeners = new CopyOnWriteArrayList<>();

  void add(Consumer<StateStore.Change> listener) {
    listeners.add(listener);
  }

  void publish(StateStore.Change change) {
    for (Consumer<StateStore.Change> listener : listeners) {
      try {
        listener.accept(change);
      } catch (RuntimeException e) {
        log.error("state listener failed on {}", change.key(), e);
      }
    }
  }

  void clear() {
    listeners.clear();
  }
}
