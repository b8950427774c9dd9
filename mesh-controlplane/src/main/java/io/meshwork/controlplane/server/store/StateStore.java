package io.meshwork.controlplane.server.store;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Where a control plane keeps its state (rules, config, CA, certificates, tokens, registrations) as
 * keys and JSON values: in this process ({@link MemoryStateStore}) or in etcd ({@link EtcdStateStore}),
 * which lets several controllers serve one fleet. Every change, whoever made it, reaches the
 * listeners, in order, after what the store held when they started listening.
 */
public interface StateStore extends AutoCloseable {

  /** Every key and value now. */
  Map<String, String> load();

  /** Sets {@code key}; completes when the store has it. */
  CompletableFuture<Void> put(String key, String value);

  /** Sets the keys only if none of them exists yet; completes with whether it did. */
  CompletableFuture<Boolean> putAllIfAbsent(Map<String, String> entries);

  /** Removes {@code key}; removing a missing key is harmless. */
  CompletableFuture<Void> delete(String key);

  /**
   * Calls {@code listener} with every key the store holds now, then with every change after that, in
   * order (the value, or null for a removal); no change falls between the two, however late the
   * listener comes.
   */
  void listen(Consumer<Change> listener);

  /** Where the state lives, for the start-up lines. */
  String describe();

  @Override
  void close();

  /**
   * One change of one key.
   *
   * @param key the key
   * @param value the new value, or null when the key was removed
   */
  record Change(String key, String value) {}
}
