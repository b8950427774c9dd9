package io.meshwork;

/**
 * Every attempt the retry policy allowed failed, or the retry budget allowed no more; the cause is
 * the last attempt's failure.
 */
public class RetriesExhaustedException extends MeshException {

  private final int attempts;

  /** {@code attempts} attempts failed; {@code reason} says why no further one was made. */
  public RetriesExhaustedException(String service, int attempts, String reason, Throwable lastFailure) {
    super(service, attempts + (attempts == 1 ? " attempt" : " attempts") + " failed (" + reason
        + "); last: " + lastFailure.getMessage(), lastFailure);
    this.attempts = attempts;
  }

  /** How many attempts were made. */
  public int attempts() {
    return attempts;
  }
}
