package io.meshwork.bench.client;

import java.util.concurrent.CompletableFuture;

/**
 * One of the compared clients, reduced to what the load generators need: send one GET of "/" to
 * the backend service, and learn its status. Implementations never block the caller.
 */
public interface LoadClient extends AutoCloseable {

  /** Sends one request; completes with the response status, or fails with the call's failure. */
  CompletableFuture<Integer> send();

  /** Wire attempts made so far, where the client can tell (retries included); -1 when it cannot. */
  default long attempts() {
    return -1;
  }

  /** Wire attempts made so far per backend port, where the client can tell; empty when it cannot. */
  default java.util.Map<Integer, Long> attemptsByPort() {
    return java.util.Map.of();
  }

  /** Releases connections and threads. */
  @Override
  void close();
}
