package io.meshwork;

/** The destination's in-flight and pending limits were both full; the call failed fast without being sent. */
public class ConcurrencyLimitException extends MeshException {

  /** A failure concerning {@code service}. */
  public ConcurrencyLimitException(String service, String message, Throwable cause) {
    super(service, message, cause);
  }

  /** A failure concerning {@code service}, with no cause. */
  public ConcurrencyLimitException(String service, String message) {
    super(service, message, null);
  }

  @Override
  public boolean mayHaveBeenProcessed() {
    return false;
  }
}
