package io.meshwork.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HeapTrendTest {

  private static final double MIB = 1024 * 1024;

  @Test
  void slopeOfAStraightLineIsItsGrowthPerMinute() {
    // 40 MiB, growing 3 MiB a minute, sampled every 10 s for 10 minutes.
    HeapTrend trend = new HeapTrend(line(40 * MIB, 3 * MIB, 0));
    assertThat(trend.slopeBytesPerMinute()).isCloseTo(3 * MIB, within(1.0));
    assertThat(trend.problem()).contains("grows").contains("expected: < 1048576");
  }

  @Test
  void noisyButLevelHeapIsFlat() {
    HeapTrend trend = new HeapTrend(line(40 * MIB, 0, 4 * MIB));
    assertThat(Math.abs(trend.slopeBytesPerMinute())).isLessThan(HeapTrend.FLAT_BYTES_PER_MINUTE);
    assertThat(trend.problem()).isNull();
  }

  @Test
  void aLeakOfAHundredBytesACallAtAThousandCallsASecondIsNotFlat() {
    HeapTrend trend = new HeapTrend(line(40 * MIB, 100 * 1000 * 60, MIB));
    assertThat(trend.problem()).contains("grows");
  }

  @Test
  void theFirstMinuteIsWarmUpWhenEnoughSamplesFollow() {
    List<double[]> samples = new ArrayList<>();
    samples.add(new double[] {10, 10 * MIB}); // caches filling: excluded
    samples.add(new double[] {50, 30 * MIB});
    for (double[] sample : line(40 * MIB, 0, 0)) {
      if (sample[0] >= 60) {
        samples.add(sample);
      }
    }
    HeapTrend trend = new HeapTrend(samples);
    assertThat(trend.fitted()).hasSize(samples.size() - 2);
    assertThat(trend.slopeBytesPerMinute()).isCloseTo(0, within(1.0));
  }

  @Test
  void aShortCheckFitsEverySample() {
    List<double[]> samples = List.of(new double[] {10, 40 * MIB}, new double[] {20, 40 * MIB},
        new double[] {30, 40 * MIB}, new double[] {60, 40 * MIB});
    assertThat(new HeapTrend(samples).fitted()).hasSize(4);
  }

  @Test
  void tooFewSamplesFail() {
    HeapTrend trend = new HeapTrend(List.of(new double[] {10, MIB}, new double[] {20, MIB}));
    assertThat(trend.problem()).isEqualTo("heap: 2 samples after GC (expected: >= 3, one every 10 s)");
    assertThat(new HeapTrend(List.of(new double[] {10, MIB})).slopeBytesPerMinute()).isNaN();
  }

  /** Samples every 10 s for 10 minutes: {@code base + perMinute * t}, plus uniform noise of {@code noise}. */
  private static List<double[]> line(double base, double perMinute, double noise) {
    Random random = new Random(42);
    List<double[]> samples = new ArrayList<>();
    for (int t = 10; t <= 600; t += 10) {
      samples.add(new double[] {t, base + perMinute * t / 60 + (random.nextDouble() - 0.5) * noise});
    }
    return samples;
  }
}
