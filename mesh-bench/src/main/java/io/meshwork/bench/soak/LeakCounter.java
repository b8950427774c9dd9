package io.meshwork.bench.soak;

import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts Netty's leak reports in this JVM at paranoid detection, so the soak fails on them instead
 * of only logging them. Installed as Netty's detector factory before any buffer class creates its
 * detector. Each tracked buffer gets a hint of its own: Netty reports a distinct trace only once,
 * and the same leak repeated through the soak must count every time.
 */
final class LeakCounter {

  private static final AtomicLong REPORTS = new AtomicLong();
  private static final AtomicLong TRACKED = new AtomicLong();
  /** The hint of the buffer the self-check drops: its report is counted apart and not logged. */
  private static final String SELF_CHECK = "meshwork soak: leak detection self-check";
  private static final AtomicLong SELF_CHECKED = new AtomicLong();

  private LeakCounter() {}

  /**
   * Paranoid detection, counted, and proven to count: a buffer dropped on purpose must be reported,
   * or detection is not in force and the soak cannot go on.
   */
  static void install() {
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new CountingFactory());
    dropOneBuffer();
    for (int round = 0; round < 20 && SELF_CHECKED.get() == 0; round++) {
      flush();
    }
    if (SELF_CHECKED.get() == 0) {
      throw new IllegalStateException("leak detection: a dropped buffer was not reported (expected: paranoid"
          + " detection counted by this class, installed before Netty's buffer classes load)");
    }
  }

  private static void dropOneBuffer() {
    PooledByteBufAllocator.DEFAULT.directBuffer(16).touch(SELF_CHECK); // never released, on purpose
  }

  /** Leak reports so far. */
  static long reports() {
    return REPORTS.get();
  }

  /**
   * Makes the detectors report what the collector found: collects, then tracks new buffers (a
   * detector reports pending leaks when it tracks a resource).
   */
  static void flush() {
    for (int round = 0; round < 3; round++) {
      System.gc();
      for (int i = 0; i < 32; i++) {
        PooledByteBufAllocator.DEFAULT.directBuffer(64).release();
        PooledByteBufAllocator.DEFAULT.heapBuffer(64).release();
      }
    }
  }

  private static final class CountingFactory extends ResourceLeakDetectorFactory {
    @Override
    @SuppressWarnings("deprecation")
    public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval,
        long maxActive) {
      return new CountingDetector<>(resource, samplingInterval);
    }

    @Override
    public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval) {
      return new CountingDetector<>(resource, samplingInterval);
    }
  }

  private static final class CountingDetector<T> extends ResourceLeakDetector<T> {
    CountingDetector(Class<?> resource, int samplingInterval) {
      super(resource, samplingInterval);
    }

    @Override
    protected Object getInitialHint(String resourceType) {
      return "tracked #" + TRACKED.incrementAndGet();
    }

    @Override
    protected boolean needReport() {
      return true; // whatever the logging configuration says
    }

    @Override
    protected void reportTracedLeak(String resourceType, String records) {
      if (records.contains(SELF_CHECK)) {
        SELF_CHECKED.incrementAndGet();
        return;
      }
      REPORTS.incrementAndGet();
      super.reportTracedLeak(resourceType, records);
    }

    @Override
    protected void reportUntracedLeak(String resourceType) {
      REPORTS.incrementAndGet();
      super.reportUntracedLeak(resourceType);
    }
  }
}
