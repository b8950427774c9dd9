package io.meshwork.transport;

/**
 * What a transport's client or server reports of its connections, read when metrics are scraped.
 *
 * @param open connections open now (in use or idle)
 * @param idle open connections with no exchange in flight
 * @param handshakes TLS handshakes that succeeded, since the start
 * @param handshakeFailures TLS handshakes that failed (refused, timed out, cut short), since the start
 */
public record ConnectionStats(long open, long idle, long handshakes, long handshakeFailures) {

  /** Nothing to report: a transport without connections, or one that does not count them. */
  public static final ConnectionStats NONE = new ConnectionStats(0, 0, 0, 0);
}
