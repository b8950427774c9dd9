package io.meshwork;

/** A rate limit refused the call. */
public class RateLimitedException extends MeshException {

  /** A failure concerning {@code service}. */
  public RateLimitedException(String service, String message, Throwable cause) {
    super(service, message, cause);
  }

  /** A failure concerning {@code service}, with no cause. */
  public RateLimitedException(String service, String message) {
    super(service, message, null);
  }

  @Override
  public boolean mayHaveBeenProcessed() {
    return false;
  }
}
