package io.meshwork;

/** One attempt took longer than the retry policy's per-try timeout; another attempt may succeed. */
public class AttemptTimeoutException extends MeshException {

  /** A failure concerning {@code service}. */
  public AttemptTimeoutException(String service, String message, Throwable cause) {
    super(service, message, cause);
  }

  /** A failure concerning {@code service}, with no cause. */
  public AttemptTimeoutException(String service, String message) {
    super(service, message, null);
  }

  @Override
  public boolean isRetryable() {
    return true;
  }

}
