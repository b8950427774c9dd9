package io.meshwork.netty.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty reported a buffer leak while it ran. Registered for every class
 * through ServiceLoader (see junit-platform.properties); surefire runs them with paranoid leak
 * detection, so every buffer is tracked. After each class it forces a collection and a few
 * allocations, which make the detectors report what the collector found.
 */
public final class LeakDetectionExtension implements BeforeAllCallback, AfterAllCallback {

  static {
    LeakRecorder.install(); // before any test touches a buffer class
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    if (!LeakRecorder.isInstalled()) {
      throw new IllegalStateException("the leak-recording detector factory is not Netty's: something"
          + " replaced it, so leaks would go unnoticed");
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    LeakRecorder.flush();
    var leaks = LeakRecorder.takeAll();
    if (!leaks.isEmpty()) {
      throw new AssertionError("Netty reported " + leaks.size() + " leak(s) during "
          + context.getDisplayName() + ":\n" + String.join("\n\n", leaks));
    }
  }
}
