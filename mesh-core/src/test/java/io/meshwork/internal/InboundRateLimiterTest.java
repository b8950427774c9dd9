package io.meshwork.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.time.FakeTicker;
import io.meshwork.traffic.InboundRateLimit;
import io.meshwork.traffic.RateLimit;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Per-caller and per-server buckets, and the bound on callers tracked. */
class InboundRateLimiterTest {

  private final FakeTicker ticker = new FakeTicker();

  @Test
  void eachCallerHasItsOwnBucketAndTheServerOneForAll() {
    InboundRateLimiter limiter = new InboundRateLimiter(
        InboundRateLimit.perCaller(RateLimit.of(1, 2)).withPerServer(RateLimit.of(10, 5)), ticker);
    InboundRateLimiter.Refusal refusal = new InboundRateLimiter.Refusal();
    assertThat(limiter.admit("a", refusal)).isZero();
    assertThat(limiter.admit("a", refusal)).isZero();
    assertThat(limiter.admit("a", refusal)).isEqualTo(Duration.ofSeconds(1).toNanos());
    assertThat(refusal.limit).isEqualTo("per caller (1/s, burst 2)");
    assertThat(limiter.admit("b", refusal)).isZero();
    assertThat(limiter.admit("c", refusal)).isZero();
    assertThat(limiter.admit("d", refusal)).isZero();
    assertThat(limiter.admit("e", refusal)).as("the server's burst of 5 is spent").isPositive();
    assertThat(refusal.limit).isEqualTo("per server (10/s, burst 5)");
  }

  @Test
  void aFloodOfDistinctCallersKeepsAtMostTheBoundAndIdleOnesAreDropped() {
    InboundRateLimiter limiter = new InboundRateLimiter(
        new InboundRateLimit(RateLimit.of(5, 5), null, 1_000), ticker);
    InboundRateLimiter.Refusal refusal = new InboundRateLimiter.Refusal();
    for (int i = 0; i < 50_000; i++) {
      limiter.admit("caller-" + i, refusal);
    }
    assertThat(limiter.trackedCallers()).isLessThanOrEqualTo(1_000);
    ticker.advance(Duration.ofSeconds(2));
    assertThat(limiter.trackedCallers()).as("all idle long enough to be full again").isZero();
  }
}
