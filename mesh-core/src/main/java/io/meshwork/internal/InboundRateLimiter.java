package io.meshwork.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.meshwork.time.Ticker;
import io.meshwork.traffic.InboundRateLimit;
import io.meshwork.traffic.RateLimit;
import java.time.Duration;

/**
 * The inbound rate limits of one server: a token bucket per caller and one for the server. A
 * caller's bucket is dropped once it has been idle long enough to have refilled (so dropping it
 * loses nothing), and at most {@code maxCallers} are kept: a flood of distinct callers cannot grow
 * memory. Eviction runs on the calling thread, on the mesh's ticker.
 */
final class InboundRateLimiter {

  private final InboundRateLimit limit;
  private final Ticker ticker;
  private final Cache<String, TokenBucket> callers;
  private final TokenBucket server;

  InboundRateLimiter(InboundRateLimit limit, Ticker ticker) {
    this.limit = limit;
    this.ticker = ticker;
    RateLimit perCaller = limit.perCaller();
    this.callers = perCaller == null ? null : Caffeine.newBuilder()
        .maximumSize(limit.maxCallers())
        .expireAfterAccess(refillTime(perCaller))
        .ticker(ticker::nanoTime)
        .executor(Runnable::run)
        .build();
    this.server = limit.perServer() == null ? null : new TokenBucket(limit.perServer(), ticker.nanoTime());
  }

  InboundRateLimit limit() {
    return limit;
  }

  /**
   * Admits one request of {@code caller} now: 0 when admitted, else how many nanoseconds until one
   * would be, with the limit that refused it in {@code refusal}.
   */
  long admit(String caller, Refusal refusal) {
    long now = ticker.nanoTime();
    if (callers != null) {
      long wait = callers.get(caller, key -> new TokenBucket(limit.perCaller(), now)).tryAcquire(now);
      if (wait > 0) {
        refusal.limit = "per caller (" + limit.perCaller() + ")";
        return wait;
      }
    }
    if (server != null) {
      long wait = server.tryAcquire(now);
      if (wait > 0) {
        refusal.limit = "per server (" + limit.perServer() + ")";
        return wait;
      }
    }
    return 0;
  }

  /** How many callers are tracked now; for tests. */
  long trackedCallers() {
    if (callers == null) {
      return 0;
    }
    callers.cleanUp();
    return callers.estimatedSize();
  }

  /** The time an empty bucket takes to fill up again: idle that long, a caller's bucket is full. */
  private static Duration refillTime(RateLimit limit) {
    return Duration.ofNanos(Math.max(1_000_000_000L, Math.round(limit.burst() * 1e9 / limit.perSecond())));
  }

  /** Which limit refused a request; filled in by {@link #admit}. */
  static final class Refusal {
    String limit;
  }
}
