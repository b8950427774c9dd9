package io.meshwork.netty.testing;

import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty reported a buffer leak while it ran, and fails the run when a leak
 * surfaces after the last class. Registered for every class through ServiceLoader (see
 * junit-platform.properties); surefire runs them with paranoid leak detection, so every buffer is
 * tracked. After each class it forces a collection and a few allocations, which make the detectors
 * report what the collector found; each report names the class that allocated the buffer.
 */
public final class LeakDetectionExtension implements BeforeAllCallback, AfterAllCallback {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(LeakDetectionExtension.class);

  static {
    LeakRecorder.install(); // before any test touches a buffer class
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    if (!LeakRecorder.isInstalled()) {
      throw new IllegalStateException("the leak-recording detector factory is not Netty's: something"
          + " replaced it, so leaks would go unnoticed");
    }
    if (ResourceLeakDetector.getLevel() != ResourceLeakDetector.Level.PARANOID) {
      // A lower level samples buffers: most leaks would pass unseen.
      throw new IllegalStateException("Netty's leak detection level is " + ResourceLeakDetector.getLevel()
          + " (expected: PARANOID; run the tests with -Dio.netty.leakDetection.level=paranoid)");
    }
    // Closed by JUnit when the engine ends, after every class and every class's own clean-up.
    context.getRoot().getStore(NAMESPACE)
        .getOrComputeIfAbsent(FinalLeakCheck.class, key -> new FinalLeakCheck(), FinalLeakCheck.class);
    LeakRecorder.owner(context.getRequiredTestClass().getName());
  }

  @Override
  public void afterAll(ExtensionContext context) {
    LeakRecorder.flush();
    LeakReports.failIfAny(LeakRecorder.takeAll(), "during " + context.getRequiredTestClass().getName());
  }
}
