package io.meshwork.policy;

/**
 * Limits of the inbound server behind {@code Mesh.serve}; each has a clear answer when passed.
 *
 * @param maxRequestBytes the largest request body accepted (413 beyond)
 * @param maxHeaderBytes the largest header block accepted (431 beyond), at least 1 KiB
 * @param maxConcurrentStreams the most HTTP/2 streams at once per connection
 */
public record ServerLimits(int maxRequestBytes, int maxHeaderBytes, int maxConcurrentStreams) {

  /** Validates the limits. */
  public ServerLimits {
    if (maxRequestBytes < 0) {
      throw new IllegalArgumentException("maxRequestBytes: " + maxRequestBytes + " (expected: >= 0)");
    }
    if (maxHeaderBytes < 1024) {
      throw new IllegalArgumentException("maxHeaderBytes: " + maxHeaderBytes + " (expected: >= 1024)");
    }
    if (maxConcurrentStreams < 1) {
      throw new IllegalArgumentException("maxConcurrentStreams: " + maxConcurrentStreams + " (expected: >= 1)");
    }
  }

  /** 10 MiB bodies, 64 KiB of headers, 1000 streams. */
  public static ServerLimits defaults() {
    return new ServerLimits(10 * 1024 * 1024, 64 * 1024, 1000);
  }
}
