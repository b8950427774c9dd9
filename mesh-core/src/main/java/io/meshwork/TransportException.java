package io.meshwork;

/**
 * The exchange with the instance failed after the request may have been sent: the connection was
 * reset or closed, or the response was malformed or too large.
 */
public class TransportException extends MeshException {

  private final boolean retryable;

  /** A retryable failure concerning {@code service}. */
  public TransportException(String service, String message, Throwable cause) {
    this(service, message, cause, true);
  }

  /** A retryable failure concerning {@code service}, with no cause. */
  public TransportException(String service, String message) {
    this(service, message, null, true);
  }

  /** A failure that another attempt may or may not cure, as {@code retryable} says. */
  public TransportException(String service, String message, Throwable cause, boolean retryable) {
    super(service, message, cause);
    this.retryable = retryable;
  }

  @Override
  public boolean isRetryable() {
    return retryable;
  }
}
