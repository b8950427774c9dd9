package io.meshwork.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.traffic.RateLimit;
import org.junit.jupiter.api.Test;

/** The bucket's rate and burst, exactly, on fake time. */
class TokenBucketTest {

  private static final long MS = 1_000_000L;

  @Test
  void aFullBucketLetsTheBurstThroughThenOneCallPerInterval() {
    TokenBucket bucket = new TokenBucket(RateLimit.of(10, 5), 0);
    for (int i = 0; i < 5; i++) {
      assertThat(bucket.tryAcquire(0)).isZero();
    }
    assertThat(bucket.tryAcquire(0)).as("the sixth waits one interval").isEqualTo(100 * MS);
    assertThat(bucket.tryAcquire(99 * MS)).isEqualTo(MS);
    assertThat(bucket.tryAcquire(100 * MS)).isZero();
    assertThat(bucket.tryAcquire(100 * MS)).isEqualTo(100 * MS);
  }

  @Test
  void overALongRunExactlyRateTimesTimePlusBurstPass() {
    TokenBucket bucket = new TokenBucket(RateLimit.of(50, 10), 0);
    int passed = 0;
    for (long t = 0; t <= 10_000 * MS; t += MS) {
      for (int tries = 0; tries < 3; tries++) {
        if (bucket.tryAcquire(t) == 0) {
          passed++;
        }
      }
    }
    assertThat(passed).isEqualTo(50 * 10 + 10);
  }

  @Test
  void anIdleBucketRefillsOnlyUpToItsBurst() {
    TokenBucket bucket = new TokenBucket(RateLimit.of(1, 3), 0);
    for (int i = 0; i < 3; i++) {
      bucket.tryAcquire(0);
    }
    long later = 3_600_000 * MS;
    int passed = 0;
    while (bucket.tryAcquire(later) == 0) {
      passed++;
    }
    assertThat(passed).isEqualTo(3);
  }
}
