package io.meshwork.traffic;

/**
 * A token bucket: calls are allowed at {@code perSecond} on average, and up to {@code burst} at once
 * after a quiet period. Past it, a call fails at once (client side, {@code RateLimitedException}) or
 * is answered 429 with {@code Retry-After} (inbound).
 *
 * @param perSecond the sustained rate, > 0
 * @param burst the most calls allowed at once, >= 1
 */
public record RateLimit(double perSecond, int burst) {

  /** Checks both fields. */
  public RateLimit {
    if (!(perSecond > 0) || perSecond > 1e9) {
      throw new IllegalArgumentException("rateLimit.perSecond: " + perSecond + " (expected: > 0 and <= 1e9)");
    }
    if (burst < 1) {
      throw new IllegalArgumentException("rateLimit.burst: " + burst + " (expected: >= 1)");
    }
  }

  /** {@code perSecond} calls per second, bursts of {@code burst}. */
  public static RateLimit of(double perSecond, int burst) {
    return new RateLimit(perSecond, burst);
  }

  @Override
  public String toString() {
    return (perSecond == Math.rint(perSecond) ? String.valueOf((long) perSecond) : String.valueOf(perSecond))
        + "/s, burst " + burst;
  }
}
