package io.meshwork.bench.client;

import java.util.concurrent.CompletableFuture;

/**
 * One of the compared clients, reduced to what the load generators need: send one GET of "/" to
 * the backend service, and learn its status. Implementations never block the caller.
 */
public interface LoadClient extends AutoCloseable {

  /**
   * Sends one request; completes with the client's own response value (read with
   * {@link #status(Object)}), or fails with the call's failure. No conversion is chained onto the
   * client's future, so that the load generator adds the same small cost to every client.
   */
  CompletableFuture<?> send();

  /** The HTTP status of a response value that {@link #send()} completed with. */
  int status(Object response);

  /** The name prefix of the client's event-loop threads, whose CPU is reported per loop. */
  String loopThreadPrefix();

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
