package io.meshwork.netty.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;

/**
 * Records every leak Netty's detectors report, so a test run can fail on them rather than only log
 * them. Installed as Netty's detector factory before any buffer class creates its detector.
 */
public final class LeakRecorder {

  private static final ConcurrentLinkedQueue<String> REPORTS = new ConcurrentLinkedQueue<>();
  private static volatile boolean installed;

  private LeakRecorder() {}

  /** Makes every detector created from now on a recording one; idempotent. */
  public static synchronized void install() {
    if (!installed) {
      ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
      installed = true;
    }
  }

  /** Whether the recording factory is the one Netty uses. */
  public static boolean isInstalled() {
    return ResourceLeakDetectorFactory.instance() instanceof RecordingFactory;
  }

  /**
   * Makes detectors report what the garbage collector found: collects, then allocates and releases
   * buffers, since a detector reports pending leaks when it tracks a new resource.
   */
  public static void flush() {
    for (int round = 0; round < 5; round++) {
      System.gc();
      System.runFinalization();
      for (int i = 0; i < 32; i++) {
        ByteBuf pooled = PooledByteBufAllocator.DEFAULT.directBuffer(64);
        pooled.release();
        ByteBuf unpooled = Unpooled.directBuffer(64);
        unpooled.release();
      }
    }
  }

  /** Removes and returns the reports that match {@code which}. */
  public static List<String> take(Predicate<String> which) {
    List<String> taken = new ArrayList<>();
    REPORTS.removeIf(report -> {
      if (which.test(report)) {
        taken.add(report);
        return true;
      }
      return false;
    });
    return taken;
  }

  /** Removes and returns every report. */
  public static List<String> takeAll() {
    return take(report -> true);
  }

  /** Makes detectors that record what they report. */
  private static final class RecordingFactory extends ResourceLeakDetectorFactory {
    @Override
    @SuppressWarnings("deprecation")
    public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval,
        long maxActive) {
      return new RecordingDetector<>(resource, samplingInterval);
    }

    @Override
    public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval) {
      return new RecordingDetector<>(resource, samplingInterval);
    }
  }

  /** A detector that records each report before logging it as usual. */
  private static final class RecordingDetector<T> extends ResourceLeakDetector<T> {
    RecordingDetector(Class<?> resource, int samplingInterval) {
      super(resource, samplingInterval);
    }

    @Override
    protected boolean needReport() {
      return true; // whatever the logging configuration says
    }

    @Override
    protected void reportTracedLeak(String resourceType, String records) {
      REPORTS.add("LEAK: " + resourceType + records);
      super.reportTracedLeak(resourceType, records);
    }

    @Override
    protected void reportUntracedLeak(String resourceType) {
      REPORTS.add("LEAK: " + resourceType + " (no records)");
      super.reportUntracedLeak(resourceType);
    }
  }
}
