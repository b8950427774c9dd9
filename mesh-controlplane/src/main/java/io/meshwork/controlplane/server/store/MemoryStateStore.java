package io.meshwork.controlplane.server.store;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The embedded store: the state in this process, written after every change to one JSON file in the
 * data directory (replaced atomically, readable by its owner only), so a restarted control plane
 * comes back with its rules, certificates and registrations.
 */
public final class MemoryStateStore implements StateStore {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path snapshot;
  private final TreeMap<String, String> entries = new TreeMap<>();
  private final ChangeListeners listeners = new ChangeListeners();

  /** A store kept in {@code snapshot} (read now if it exists), or in memory only when it is null. */
  public MemoryStateStore(Path snapshot) {
    this.snapshot = snapshot;
    if (snapshot != null && Files.exists(snapshot)) {
      try {
        entries.putAll(JSON.readValue(snapshot.toFile(), new TypeReference<Map<String, String>>() {}));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the control plane's state " + snapshot
            + " (expected: the JSON this control plane wrote)", e);
      }
    }
  }

  @Override
  public synchronized Map<String, String> load() {
    return Map.copyOf(entries);
  }

  @Override
  public CompletableFuture<Void> put(String key, String value) {
    synchronized (this) {
      entries.put(key, value);
      save();
      listeners.publish(new Change(key, value));
    }
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<Boolean> putAllIfAbsent(Map<String, String> values) {
    synchronized (this) {
      for (String key : values.keySet()) {
        if (entries.containsKey(key)) {
          return CompletableFuture.completedFuture(false);
        }
      }
      entries.putAll(values);
      save();
      values.forEach((key, value) -> listeners.publish(new Change(key, value)));
    }
    return CompletableFuture.completedFuture(true);
  }

  @Override
  public CompletableFuture<Void> delete(String key) {
    synchronized (this) {
      if (entries.remove(key) != null) {
        save();
        listeners.publish(new Change(key, null));
      }
    }
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public synchronized void listen(Consumer<Change> listener) {
    listeners.addAfter(entries, listener);
  }

  @Override
  public String describe() {
    return snapshot == null ? "memory" : "memory, saved to " + snapshot;
  }

  @Override
  public void close() {
    listeners.clear();
  }

  /** Writes the whole state; it is small (rules, tokens, certificate records), and a change is rare. */
  private void save() {
    if (snapshot == null) {
      return;
    }
    try {
      Path temporary = snapshot.resolveSibling(snapshot.getFileName() + ".tmp");
      Files.deleteIfExists(temporary);
      Files.createFile(temporary, OwnerOnly.FILE);
      JSON.writerWithDefaultPrettyPrinter().writeValue(temporary.toFile(), entries);
      Files.move(temporary, snapshot, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save the control plane's state to " + snapshot, e);
    }
  }
}
