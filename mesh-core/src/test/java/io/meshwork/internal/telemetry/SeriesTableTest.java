package io.meshwork.internal.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SeriesTableTest {

  @Test
  void everyCellIsMadeOnceWithItsOwnIndexAcrossBlockBoundaries() {
    List<Integer> made = new ArrayList<>();
    SeriesTable<String> table = new SeriesTable<>(3, 37, index -> {
      made.add(index);
      return "cell " + index;
    });
    for (int row = 0; row < 3; row++) {
      for (int column = 0; column < 37; column++) {
        assertThat(table.get(row, column)).isEqualTo("cell " + (row * 37 + column));
      }
    }
    for (int row = 0; row < 3; row++) {
      for (int column = 0; column < 37; column++) {
        assertThat(table.get(row, column)).as("kept, not made again").isSameAs(table.get(row, column));
      }
    }
    assertThat(made).hasSize(3 * 37).doesNotHaveDuplicates();
  }

  @Test
  void threadsRacingForOneCellAllGetTheSameEntry() throws Exception {
    AtomicInteger loads = new AtomicInteger();
    SeriesTable<Object> table = new SeriesTable<>(Methods.COUNT, Statuses.COUNT, index -> {
      loads.incrementAndGet();
      return new Object();
    });
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Object>> got = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        got.add(threads.submit(() -> {
          start.await();
          return table.get(1, Statuses.index(200));
        }));
      }
      start.countDown();
      Object first = got.get(0).get(10, TimeUnit.SECONDS);
      for (Future<Object> each : got) {
        assertThat(each.get(10, TimeUnit.SECONDS)).isSameAs(first);
      }
      assertThat(loads.get()).isBetween(1, 4);
    } finally {
      threads.shutdownNow();
    }
  }
}
