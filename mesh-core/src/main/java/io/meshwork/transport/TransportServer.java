package io.meshwork.transport;

import java.time.Duration;

/** A bound inbound server of a {@link Transport}. */
public interface TransportServer extends AutoCloseable {

  /** The port it listens on (the real one when 0 was asked for). */
  int port();

  /** The server's connections and TLS handshakes now; {@link ConnectionStats#NONE} when not counted. */
  default ConnectionStats stats() {
    return ConnectionStats.NONE;
  }

  /**
   * Stops accepting, lets in-flight requests finish for up to {@code grace}, then closes every
   * connection. Returns when it is done.
   */
  void close(Duration grace);

  /** {@link #close(Duration)} with a 5 s grace period. */
  @Override
  default void close() {
    close(Duration.ofSeconds(5));
  }
}
