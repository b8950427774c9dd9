package io.meshwork.netty.testing.leaks;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

import java.util.Arrays;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;

/**
 * A test run of the named classes in a JVM of its own, as surefire makes one: the JUnit Platform
 * launcher with the class path's junit-platform.properties (so the same auto-detected extensions).
 * Prints one {@code FAILED} line per failed test or container and exits 1 when anything failed, as
 * surefire fails the build.
 */
public final class FixtureRun {

  private FixtureRun() {}

  /** Runs the classes named in {@code args}. */
  public static void main(String[] args) {
    Launcher launcher = LauncherFactory.create();
    SummaryGeneratingListener summary = new SummaryGeneratingListener();
    TestExecutionListener failures = new TestExecutionListener() {
      @Override
      public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
          String message = result.getThrowable().map(Throwable::getMessage).orElse("");
          System.out.println("FAILED " + id.getUniqueId() + ": " + message.lines().findFirst().orElse(""));
        }
      }
    };
    launcher.execute(request().selectors(Arrays.stream(args).map(name -> selectClass(name)).toList()).build(),
        summary, failures);
    long failed = summary.getSummary().getTotalFailureCount();
    System.out.println("failures: " + failed + ", tests succeeded: " + summary.getSummary().getTestsSucceededCount());
    System.exit(failed == 0 ? 0 : 1);
  }
}
