package io.meshwork.traffic;

/**
 * Rate limits of the requests {@code mesh.serve} accepts: per caller (its SPIFFE ID over mTLS, its
 * remote address otherwise) and for the server as a whole. Past either, a request is answered 429
 * with {@code Retry-After} and an audit line. The buckets of callers idle for a while are dropped,
 * and at most {@code maxCallers} are kept, so a flood of distinct callers cannot grow memory.
 *
 * @param perCaller the limit of each caller, or null for none
 * @param perServer the limit of all callers together, or null for none
 * @param maxCallers the most callers tracked at once, >= 1
 */
public record InboundRateLimit(RateLimit perCaller, RateLimit perServer, int maxCallers) {

  /** The default bound of callers tracked at once. */
  public static final int DEFAULT_MAX_CALLERS = 10_000;

  /** Checks the bound. */
  public InboundRateLimit {
    if (maxCallers < 1) {
      throw new IllegalArgumentException("inboundRateLimit.maxCallers: " + maxCallers + " (expected: >= 1)");
    }
  }

  /** Each caller limited to {@code limit}. */
  public static InboundRateLimit perCaller(RateLimit limit) {
    return new InboundRateLimit(limit, null, DEFAULT_MAX_CALLERS);
  }

  /** All callers together limited to {@code limit}. */
  public static InboundRateLimit perServer(RateLimit limit) {
    return new InboundRateLimit(null, limit, DEFAULT_MAX_CALLERS);
  }

  /** This limit with all callers together also limited to {@code limit}. */
  public InboundRateLimit withPerServer(RateLimit limit) {
    return new InboundRateLimit(perCaller, limit, maxCallers);
  }
}
