package io.meshwork.netty.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Proves the build would notice a leak: a buffer dropped unreleased is recorded. */
class LeakRecorderTest {

  private static final String MARKER = "deliberately-leaked-by-LeakRecorderTest";

  @Test
  void runsWithParanoidLeakDetection() {
    assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.PARANOID);
    assertThat(LeakRecorder.isInstalled()).isTrue();
  }

  @Test
  void recordsABufferDroppedWithoutRelease() {
    leakOneBuffer();
    List<String> found = List.of();
    for (int round = 0; round < 50 && found.isEmpty(); round++) {
      LeakRecorder.flush();
      found = LeakRecorder.take(report -> report.contains(MARKER)); // taken: the class passes
    }
    assertThat(found).as("the deliberate leak was reported").isNotEmpty();
  }

  private static void leakOneBuffer() {
    ByteBuf leaked = PooledByteBufAllocator.DEFAULT.directBuffer(128);
    leaked.touch(MARKER);
  }
}
