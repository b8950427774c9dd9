package io.meshwork;

/** No connection could be made to the instance; the request was not sent, so retrying is safe. */
public class ConnectFailedException extends MeshException {

  /** A failure concerning {@code service}. */
  public ConnectFailedException(String service, String message, Throwable cause) {
    super(service, message, cause);
  }

  /** A failure concerning {@code service}, with no cause. */
  public ConnectFailedException(String service, String message) {
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
