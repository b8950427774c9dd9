package io.meshwork;

/** The circuit breaker of the picked instance refused the call; it was not sent. Another instance may serve it. */
public class CircuitOpenException extends MeshException {

  /** A failure concerning {@code service}. */
  public CircuitOpenException(String service, String message, Throwable cause) {
    super(service, message, cause);
  }

  /** A failure concerning {@code service}, with no cause. */
  public CircuitOpenException(String service, String message) {
    super(service, message, null);
  }

  @Override
  public boolean isRetryable() {
    return true;
  }

  @Override
  public boolean mayHaveBeenProcessed() {
    return false;
  }
}
