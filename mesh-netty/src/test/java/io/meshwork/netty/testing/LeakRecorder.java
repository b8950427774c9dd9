package io.meshwork.netty.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Records every leak Netty's detectors report, so a test run can fail on them rather than only log
 * them. Installed as Netty's detector factory before any buffer class creates its detector.
 *
 * <p>Every tracked buffer carries a hint naming the test class that ran when it was allocated, so a
 * leak found later (in another class, or after the last one) is still blamed on its class. The hint
 * also holds a sequence number: Netty reports a leak only once per distinct trace, and without it the
 * same leak made by two classes would be counted once.
 */
public final class LeakRecorder {

  private static final ConcurrentLinkedQueue<String> REPORTS = new ConcurrentLinkedQueue<>();
  private static final AtomicLong TRACKED = new AtomicLong();
  private static final String OWNER_PREFIX = "allocated while ";
  private static final Pattern OWNER = Pattern.compile(OWNER_PREFIX + "(\\S+) ran");
  private static volatile boolean installed;
  private static volatile String owner = "no test class";

  private LeakRecorder() {}

  /** Makes every detector created from now on a recording one; idempotent. */
  public static synchronized void install() {
    if (!installed) {
      ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
      installed = true;
    }
  }

  /** Names the test class that runs from now on: buffers allocated meanwhile are blamed on it. */
  public static void owner(String testClass) {
    owner = testClass;
  }

  /** The test class a leak report blames (the one that ran when the buffer was allocated). */
  public static String blamed(String report) {
    Matcher matcher = OWNER.matcher(report);
    return matcher.find() ? matcher.group(1) : "(unknown)";
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
    protected Object getInitialHint(String resourceType) {
      // Distinct per buffer (Netty reports each distinct trace once) and naming the class to blame.
      return OWNER_PREFIX + owner + " ran (tracked #" + TRACKED.incrementAndGet() + ")";
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
