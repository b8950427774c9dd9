package io.meshwork.policy;

/**
 * Per-destination limits on concurrent work, as Envoy's: at most {@code maxInFlight} attempts on the
 * wire at once, and at most {@code maxPending} more waiting for a slot. Past both, a call fails fast
 * with {@code ConcurrencyLimitException}, without being sent.
 *
 * @param maxInFlight attempts on the wire at once, >= 1
 * @param maxPending attempts waiting for an in-flight slot, >= 0
 */
public record ConcurrencyLimits(int maxInFlight, int maxPending) {

  /** Validates the limits. */
  public ConcurrencyLimits {
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight: " + maxInFlight + " (expected: >= 1)");
    }
    if (maxPending < 0) {
      throw new IllegalArgumentException("maxPending: " + maxPending + " (expected: >= 0)");
    }
  }

  /** 1024 in flight and 1024 pending: Envoy's defaults. */
  public static ConcurrencyLimits defaults() {
    return new ConcurrencyLimits(1024, 1024);
  }
}
