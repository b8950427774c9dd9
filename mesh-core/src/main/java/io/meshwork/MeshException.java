package io.meshwork;

/**
 * The base of every failure the mesh reports. The message starts with the service concerned and says
 * what happened; {@link #isRetryable()} says whether another attempt may help and
 * {@link #mayHaveBeenProcessed()} whether the callee may have seen the request at all.
 */
public class MeshException extends RuntimeException {

  private final String service;

  /** A failure concerning {@code service} (may be null when no service is concerned). */
  public MeshException(String service, String message, Throwable cause) {
    super(service == null ? message : service + ": " + message, cause);
    this.service = service;
  }

  /** A failure concerning {@code service}, with no cause. */
  public MeshException(String service, String message) {
    this(service, message, null);
  }

  /** The destination or local service concerned; null when none is. */
  public String service() {
    return service;
  }

  /** Whether another attempt, on this or another instance, may succeed. */
  public boolean isRetryable() {
    return false;
  }

  /**
   * Whether the callee may have received the request. When false, retrying is safe even for a
   * request that is not idempotent.
   */
  public boolean mayHaveBeenProcessed() {
    return true;
  }
}
