package io.meshwork.netty.internal.client;

import io.meshwork.ConcurrencyLimitException;
import io.meshwork.ConnectFailedException;
import io.meshwork.MeshClosedException;
import io.meshwork.MeshException;
import io.meshwork.TransportException;
import io.netty.channel.ConnectTimeoutException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;

/**
 * The failures a client reports, each saying what happened to which address and whether the request
 * may have been processed: a connect failure never was (safe to retry anything); a failure on the
 * wire may have been; a body over the limit will be the same next time (not retryable).
 */
final class ClientFailures {

  private ClientFailures() {}

  /** No connection could be made. */
  static MeshException connectFailed(String service, String address, Throwable cause, long timeoutMillis) {
    String why;
    if (cause instanceof ConnectTimeoutException) {
      why = "connect timed out after " + timeoutMillis + " ms";
    } else if (cause instanceof NoRouteToHostException) {
      why = "host unreachable";
    } else if (cause instanceof ConnectException) {
      why = "connection refused";
    } else {
      why = String.valueOf(cause);
    }
    return new ConnectFailedException(service, "could not connect to " + address + ": " + why, cause);
  }

  /** The HTTP/2 connection closed before the server's SETTINGS arrived: nothing was sent on it. */
  static MeshException closedBeforeSettings(String service, String address) {
    return new ConnectFailedException(service, "connection to " + address
        + " closed before the server's HTTP/2 SETTINGS arrived; not sent");
  }

  /** The connection ended before the whole response arrived. */
  static MeshException closedBeforeResponse(String service, String address) {
    return new TransportException(service, "connection to " + address
        + " closed before the response was complete", null, true);
  }

  /** The connection failed (reset, write error) while the exchange was on it. */
  static MeshException connectionFailed(String service, String address, Throwable cause) {
    return new TransportException(service, "connection to " + address + " failed: " + cause, cause, true);
  }

  /** The response broke the protocol; only its connection is closed. */
  static MeshException malformed(String service, String address, String what, Throwable cause) {
    return new TransportException(service, "malformed response from " + address + ": " + what, cause, true);
  }

  /**
   * The response body is larger than the destination accepts: {@code size} is the declared length,
   * or negative for a body without one (chunked, or an HTTP/2 body) that grew past the limit.
   * Not retried: another instance would most likely send the same body.
   */
  static MeshException tooLarge(String service, String address, long size, int limit) {
    String body = size >= 0 ? "response body of " + size + " bytes from " + address + " exceeds"
        : "response body from " + address + " grew past";
    return new TransportException(service, body + " the limit of " + limit
        + " bytes (ServicePolicy.maxResponseBytes)", null, false);
  }

  /** Too many exchanges already wait for a connection to the instance. */
  static MeshException pendingLimit(String service, String address, int limit) {
    return new ConcurrencyLimitException(service, limit + " requests already wait for a connection to "
        + address + ": limit reached (maxPendingPerInstance)");
  }

  /** The HTTP/2 server refused the stream (REFUSED_STREAM, or beyond its GOAWAY): never processed. */
  static MeshException streamRefused(String service, String address, String why) {
    return new ConnectFailedException(service, address + " refused the stream (" + why + "); not processed");
  }

  /** The HTTP/2 server reset the stream after it may have processed it. */
  static MeshException streamReset(String service, String address, String error) {
    return new TransportException(service, address + " reset the stream: " + error, null, true);
  }

  /** The instance left the destination while the request waited; it was never sent. */
  static MeshException instanceLeft(String service, String address) {
    return new ConnectFailedException(service, "instance " + address + " left the destination; not sent");
  }

  /** The client or transport is closed. */
  static MeshException closed(String service) {
    return new MeshClosedException(service, "transport client is closed");
  }

  /** The request could not be encoded. */
  static MeshException unencodable(String service, Throwable cause) {
    return new MeshException(service, "request could not be encoded: " + cause, cause);
  }
}
