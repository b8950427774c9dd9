package io.meshwork;

import java.time.Duration;

/** A rate limit refused the call; it was not sent, and is not retried by the mesh. */
public class RateLimitedException extends MeshException {

  private final Duration retryAfter;

  /** A refusal concerning {@code service}; a call may be allowed again after {@code retryAfter}. */
  public RateLimitedException(String service, String message, Duration retryAfter) {
    super(service, message, null);
    this.retryAfter = retryAfter;
  }

  /** A failure concerning {@code service}. */
  public RateLimitedException(String service, String message, Throwable cause) {
    super(service, message, cause);
    this.retryAfter = Duration.ZERO;
  }

  /** A failure concerning {@code service}, with no cause. */
  public RateLimitedException(String service, String message) {
    this(service, message, Duration.ZERO);
  }

  /** How long until the limit allows a call again; zero when unknown. */
  public Duration retryAfter() {
    return retryAfter;
  }

  @Override
  public boolean mayHaveBeenProcessed() {
    return false;
  }
}
