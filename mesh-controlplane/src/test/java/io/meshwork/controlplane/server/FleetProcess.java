package io.meshwork.controlplane.server;

import io.meshwork.netty.testing.ChildProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A JVM of the fleet tests started from this test's class path: a workload or a controller. */
final class FleetProcess implements AutoCloseable {

  private static final Pattern READY = Pattern.compile("READY (\\d+)");

  final ChildProcess process;
  final String name;

  private FleetProcess(ChildProcess process, String name) {
    this.process = process;
    this.name = name;
  }

  /** Starts {@code mainClass} with {@code arguments}; its output goes to {@code <directory>/<name>.log}. */
  static FleetProcess start(Path directory, String name, Class<?> mainClass, List<String> arguments)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // Small and quick to start: the fleet tests run several JVMs on a two-core machine.
    command.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=info", "-cp", System.getProperty("java.class.path"),
        mainClass.getName()));
    command.addAll(arguments);
    return new FleetProcess(ChildProcess.start(directory.resolve(name + ".log"), command), name);
  }

  /** Waits for a line matching {@code pattern} in its output, and returns the first group. */
  String await(Pattern pattern, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Matcher matcher = pattern.matcher(process.output());
      if (matcher.find()) {
        return matcher.group(1);
      }
      if (!process.isAlive()) {
        throw new AssertionError(name + " ended:\n" + process.output());
      }
      Thread.sleep(50); // polling a file another process writes: no event to wait on
    }
    throw new AssertionError(name + " printed no " + pattern + " within " + timeout + ":\n" + process.output());
  }

  /** The port a workload printed when ready. */
  int awaitReady(Duration timeout) throws InterruptedException {
    return Integer.parseInt(await(READY, timeout));
  }

  /** Kills it at once (SIGKILL), as a crash would. */
  void kill() throws InterruptedException {
    ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroyForcibly);
    ProcessHandle.of(process.pid()).ifPresent(handle -> handle.onExit().join());
  }

  @Override
  public void close() {
    process.close();
  }
}
