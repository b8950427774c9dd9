package io.meshwork;

import java.time.Duration;

/** The call's overall deadline passed before it could complete. Not retried: the time is spent. */
public class DeadlineExceededException extends MeshException {

  private final Duration timeout;
  private final int attempts;

  /** The deadline of {@code timeout} passed after {@code attempts} attempts were started. */
  public DeadlineExceededException(String service, Duration timeout, int attempts) {
    super(service, "deadline of " + timeout.toMillis() + " ms exceeded after " + attempts
        + (attempts == 1 ? " attempt" : " attempts"));
    this.timeout = timeout;
    this.attempts = attempts;
  }

  /** The timeout the deadline was set from. */
  public Duration timeout() {
    return timeout;
  }

  /** How many attempts were started before the deadline passed. */
  public int attempts() {
    return attempts;
  }
}
