package io.meshwork.transport;

import io.meshwork.policy.Protocol;
import java.time.Duration;
import java.util.Objects;

/**
 * How a transport client talks to one destination.
 *
 * @param service the destination service
 * @param protocol the HTTP version
 * @param connectTimeout the limit of opening one connection
 * @param maxResponseBytes the largest response body accepted; larger ones fail the call
 */
public record ClientOptions(String service, Protocol protocol, Duration connectTimeout, int maxResponseBytes) {

  /** Checks every field. */
  public ClientOptions {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    if (maxResponseBytes < 0) {
      throw new IllegalArgumentException("maxResponseBytes: " + maxResponseBytes + " (expected: >= 0)");
    }
  }
}
