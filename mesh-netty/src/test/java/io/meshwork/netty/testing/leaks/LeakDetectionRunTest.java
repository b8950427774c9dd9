package io.meshwork.netty.testing.leaks;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.netty.testing.ChildProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves that a leak fails the run, not only that it is recorded: each case runs fixture classes in
 * a JVM of its own with this module's class path, its junit-platform.properties and paranoid leak
 * detection, as surefire runs the real classes, and reads how that run ended.
 */
class LeakDetectionRunTest {

  private static final Duration BOUND = Duration.ofMinutes(2);

  @TempDir
  Path dir;

  @Test
  void aRunWithoutLeaksPasses() throws Exception {
    ChildProcess.Result run = run(CleanFixture.class);
    assertThat(run.exitCode()).as(run.text()).isZero();
  }

  @Test
  void aLeakingClassFailsTheRunAndIsBlamed() throws Exception {
    ChildProcess.Result run = run(CleanFixture.class, LeakingFixture.class);
    assertThat(run.exitCode()).as(run.text()).isEqualTo(1);
    assertThat(failedLines(run)).singleElement().asString()
        .contains("[class:" + LeakingFixture.class.getName() + "]")
        .contains("1 leak(s) during " + LeakingFixture.class.getName());
  }

  @Test
  void identicalLeaksInTwoClassesFailBoth() throws Exception {
    ChildProcess.Result run = run(LeakingFixture.class, SameLeakFixture.class);
    assertThat(run.exitCode()).as(run.text()).isEqualTo(1);
    assertThat(failedLines(run)).as(run.text()).hasSize(2)
        .anySatisfy(line -> assertThat(line).contains("1 leak(s) during " + LeakingFixture.class.getName()))
        .anySatisfy(line -> assertThat(line).contains("1 leak(s) during " + SameLeakFixture.class.getName()));
  }

  @Test
  void aLeakFoundAfterTheLastClassFailsTheRunAndBlamesItsClass() throws Exception {
    ChildProcess.Result run = run(LateLeakFixture.class, CleanFixture.class);
    assertThat(run.exitCode()).as(run.text()).isEqualTo(1);
    assertThat(failedLines(run)).as("only the engine, at the end: the class itself passed").singleElement()
        .asString()
        .contains("[engine:junit-jupiter]:")
        .contains("1 leak(s) after the last test class")
        .contains("{" + LateLeakFixture.class.getName() + "=1}");
  }

  private ChildProcess.Result run(Class<?>... classes) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dio.netty.leakDetection.level=paranoid", "-cp", System.getProperty("java.class.path"),
        FixtureRun.class.getName()));
    Stream.of(classes).map(Class::getName).forEach(command::add);
    return ChildProcess.run(dir, BOUND, command);
  }

  private static List<String> failedLines(ChildProcess.Result run) {
    return run.text().lines().filter(line -> line.startsWith("FAILED ")).toList();
  }
}
