package io.meshwork.internal.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StripedCountsTest {

  @Test
  void addsFromOneThreadLandInTheirSlots() {
    StripedCounts counts = new StripedCounts(3);
    counts.add(0, 1);
    counts.add(2, 40);
    counts.add(2, 2);
    assertThat(counts.sum(0)).isEqualTo(1);
    assertThat(counts.sum(1)).isZero();
    assertThat(counts.sum(2)).isEqualTo(42);
  }

  @Test
  void noAddIsLostWhenThreadsContendAndTheCountsSpread() throws Exception {
    StripedCounts counts = new StripedCounts(2);
    int threads = 4;
    int adds = 200_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < adds; i++) {
            counts.add(i & 1, 1);
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> each : done) {
        each.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(counts.sum(0) + counts.sum(1)).isEqualTo((long) threads * adds);
    assertThat(counts.sum(0)).isEqualTo(counts.sum(1));
  }
}
