package io.meshwork;

/** Why the mesh refused a call itself, sending nothing to any instance. */
public enum Rejection {
  /** A client-side rate limit of the destination or route ({@link RateLimitedException}). */
  RATE_LIMITED("rate_limited"),
  /** The destination's concurrency limits were full ({@link ConcurrencyLimitException}). */
  CONCURRENCY_LIMIT("concurrency_limit"),
  /** Every instance that could be picked had its circuit open ({@link CircuitOpenException}). */
  CIRCUIT_OPEN("circuit_open"),
  /** No healthy instance to call ({@link NoHealthyInstanceException}). */
  NO_HEALTHY_INSTANCE("no_healthy_instance");

  private final String label;

  Rejection(String label) {
    this.label = label;
  }

  /** The value of the {@code reason} label of {@code meshwork.client.rejections}. */
  public String label() {
    return label;
  }

  /** The rejection {@code failure} (unwrapped) stands for, or null when it is not one. */
  public static Rejection of(Throwable failure) {
    if (failure instanceof RateLimitedException) {
      return RATE_LIMITED;
    }
    if (failure instanceof ConcurrencyLimitException) {
      return CONCURRENCY_LIMIT;
    }
    if (failure instanceof CircuitOpenException) {
      return CIRCUIT_OPEN;
    }
    if (failure instanceof NoHealthyInstanceException) {
      return NO_HEALTHY_INSTANCE;
    }
    return null;
  }
}
