package io.meshwork.policy;

import java.time.Duration;

/**
 * Limits of the inbound server behind {@code Mesh.serve}; each has a clear answer when passed.
 * Bodies are gathered as their bytes arrive, never sized from what a head declares, and every byte
 * held counts against the connection's and the server's budget until the handler has answered.
 *
 * <pre>{@code
 * ServerLimits.builder().maxRequestBytes(1 << 20).requestHeadTimeout(Duration.ofSeconds(5)).build()
 * }</pre>
 *
 * @param maxRequestBytes the largest request body accepted (413 beyond)
 * @param maxHeaderBytes the largest header block accepted (431 beyond), at least 1 KiB
 * @param maxConcurrentStreams the most HTTP/2 streams at once per connection
 * @param maxBodyBytesPerConnection the body bytes one connection may hold at once, its requests
 *     being received and handled together; past it HTTP/1.1 gets 503 and HTTP/2 REFUSED_STREAM
 * @param maxBodyBytesInFlight the body bytes the whole server may hold at once; past it the same
 * @param requestHeadTimeout how long a request head, an HTTP/2 frame, or a new connection's TLS
 *     handshake and first bytes may take to arrive once begun; 408 or a closed connection after it
 * @param minBodyBytesPerSecond the slowest a request body may arrive, on average since its head, once
 *     {@code bodyRateGrace} has passed; 0 for no minimum
 * @param bodyRateGrace how long a body may take before its rate is checked
 */
public record ServerLimits(int maxRequestBytes, int maxHeaderBytes, int maxConcurrentStreams,
    long maxBodyBytesPerConnection, long maxBodyBytesInFlight, Duration requestHeadTimeout,
    int minBodyBytesPerSecond, Duration bodyRateGrace) {

  private static final int MIB = 1024 * 1024;

  /** Validates every limit and how they relate. */
  public ServerLimits {
    atLeast("maxRequestBytes", maxRequestBytes, 0);
    atLeast("maxHeaderBytes", maxHeaderBytes, 1024);
    atLeast("maxConcurrentStreams", maxConcurrentStreams, 1);
    atLeast("minBodyBytesPerSecond", minBodyBytesPerSecond, 0);
    if (maxBodyBytesPerConnection < maxRequestBytes) {
      throw new IllegalArgumentException("maxBodyBytesPerConnection: " + maxBodyBytesPerConnection
          + " (expected: >= maxRequestBytes " + maxRequestBytes + ")");
    }
    if (maxBodyBytesInFlight < maxBodyBytesPerConnection) {
      throw new IllegalArgumentException("maxBodyBytesInFlight: " + maxBodyBytesInFlight
          + " (expected: >= maxBodyBytesPerConnection " + maxBodyBytesPerConnection + ")");
    }
    positive("requestHeadTimeout", requestHeadTimeout);
    if (bodyRateGrace == null || bodyRateGrace.isNegative()) {
      throw new IllegalArgumentException("bodyRateGrace: " + bodyRateGrace + " (expected: >= 0)");
    }
  }

  /** These body, header and stream limits, with the defaults of everything else. */
  public ServerLimits(int maxRequestBytes, int maxHeaderBytes, int maxConcurrentStreams) {
    this(maxRequestBytes, maxHeaderBytes, maxConcurrentStreams, perConnection(maxRequestBytes),
        inFlight(perConnection(maxRequestBytes)), Duration.ofSeconds(10), 1024, Duration.ofSeconds(10));
  }

  /**
   * 10 MiB bodies, 64 KiB of headers, 1000 streams, 16 MiB of bodies per connection and 64 MiB per
   * server, 10 s for a head, bodies at 1 KiB/s at least after 10 s.
   */
  public static ServerLimits defaults() {
    return new ServerLimits(10 * MIB, 64 * 1024, 1000);
  }

  /** A builder starting from {@link #defaults()}. */
  public static Builder builder() {
    return new Builder(defaults());
  }

  /** A builder starting from these limits. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  private static long perConnection(int maxRequestBytes) {
    return Math.max(16L * MIB, maxRequestBytes);
  }

  private static long inFlight(long perConnection) {
    return Math.max(64L * MIB, perConnection);
  }

  private static void atLeast(String field, long value, long min) {
    if (value < min) {
      throw new IllegalArgumentException(field + ": " + value + " (expected: >= " + min + ")");
    }
  }

  private static void positive(String field, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(field + ": " + value + " (expected: > 0)");
    }
  }

  /**
   * Builds {@link ServerLimits}; each setter checks its value at once, {@link #build()} how they
   * relate. The body budgets not set follow {@code maxRequestBytes}: at least 16 MiB and 64 MiB.
   */
  public static final class Builder {
    private int maxRequestBytes;
    private int maxHeaderBytes;
    private int maxConcurrentStreams;
    private Long maxBodyBytesPerConnection;
    private Long maxBodyBytesInFlight;
    private Duration requestHeadTimeout;
    private int minBodyBytesPerSecond;
    private Duration bodyRateGrace;

    private Builder(ServerLimits from) {
      this.maxRequestBytes = from.maxRequestBytes;
      this.maxHeaderBytes = from.maxHeaderBytes;
      this.maxConcurrentStreams = from.maxConcurrentStreams;
      this.requestHeadTimeout = from.requestHeadTimeout;
      this.minBodyBytesPerSecond = from.minBodyBytesPerSecond;
      this.bodyRateGrace = from.bodyRateGrace;
      // Budgets that follow maxRequestBytes keep following it; ones set on their own stay.
      if (from.maxBodyBytesPerConnection != perConnection(from.maxRequestBytes)) {
        this.maxBodyBytesPerConnection = from.maxBodyBytesPerConnection;
      }
      if (from.maxBodyBytesInFlight != inFlight(from.maxBodyBytesPerConnection)) {
        this.maxBodyBytesInFlight = from.maxBodyBytesInFlight;
      }
    }

    /** The largest request body accepted, >= 0. */
    public Builder maxRequestBytes(int value) {
      atLeast("maxRequestBytes", value, 0);
      this.maxRequestBytes = value;
      return this;
    }

    /** The largest header block accepted, >= 1024. */
    public Builder maxHeaderBytes(int value) {
      atLeast("maxHeaderBytes", value, 1024);
      this.maxHeaderBytes = value;
      return this;
    }

    /** The most HTTP/2 streams at once per connection, >= 1. */
    public Builder maxConcurrentStreams(int value) {
      atLeast("maxConcurrentStreams", value, 1);
      this.maxConcurrentStreams = value;
      return this;
    }

    /** The body bytes one connection may hold at once, >= maxRequestBytes. */
    public Builder maxBodyBytesPerConnection(long value) {
      atLeast("maxBodyBytesPerConnection", value, 0);
      this.maxBodyBytesPerConnection = value;
      return this;
    }

    /** The body bytes the whole server may hold at once, >= maxBodyBytesPerConnection. */
    public Builder maxBodyBytesInFlight(long value) {
      atLeast("maxBodyBytesInFlight", value, 0);
      this.maxBodyBytesInFlight = value;
      return this;
    }

    /** How long a request head may take from its first byte; > 0. */
    public Builder requestHeadTimeout(Duration value) {
      positive("requestHeadTimeout", value);
      this.requestHeadTimeout = value;
      return this;
    }

    /** The slowest a body may arrive once {@code grace} has passed, in bytes per second; 0 for none. */
    public Builder minBodyRate(int bytesPerSecond, Duration grace) {
      atLeast("minBodyBytesPerSecond", bytesPerSecond, 0);
      if (grace == null || grace.isNegative()) {
        throw new IllegalArgumentException("bodyRateGrace: " + grace + " (expected: >= 0)");
      }
      this.minBodyBytesPerSecond = bytesPerSecond;
      this.bodyRateGrace = grace;
      return this;
    }

    /** The limits; fails naming the field when two of them do not fit together. */
    public ServerLimits build() {
      long perConnection = maxBodyBytesPerConnection != null ? maxBodyBytesPerConnection
          : perConnection(maxRequestBytes);
      long inFlight = maxBodyBytesInFlight != null ? maxBodyBytesInFlight : inFlight(perConnection);
      return new ServerLimits(maxRequestBytes, maxHeaderBytes, maxConcurrentStreams, perConnection, inFlight,
          requestHeadTimeout, minBodyBytesPerSecond, bodyRateGrace);
    }
  }
}
