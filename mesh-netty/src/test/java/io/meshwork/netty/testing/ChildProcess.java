package io.meshwork.netty.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An outside program run by a test, its output in files of the test's temporary directory. Closing
 * it stops that one process by its PID: TERM, then KILL if it has not ended within a bound.
 */
public final class ChildProcess implements AutoCloseable {

  private final Process process;
  private final Path output;
  private final List<String> command;

  private ChildProcess(Process process, Path output, List<String> command) {
    this.process = process;
    this.output = output;
    this.command = command;
  }

  /** Starts {@code command}, its stdout and stderr merged into {@code output}. */
  public static ChildProcess start(Path output, List<String> command) throws IOException {
    return start(output, command, nullFile());
  }

  private static ChildProcess start(Path output, List<String> command, File input) throws IOException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.from(input)).start();
    return new ChildProcess(process, output, command);
  }

  /** Runs {@code command} to its end within {@code timeout}; fails the test if it does not end. */
  public static Result run(Path workDir, Duration timeout, List<String> command) throws IOException,
      InterruptedException {
    return run(workDir, timeout, command, null);
  }

  /** Like {@link #run(Path, Duration, List)}, its standard input read from {@code input} (null: none). */
  public static Result run(Path workDir, Duration timeout, List<String> command, Path input) throws IOException,
      InterruptedException {
    Path output = Files.createTempFile(workDir, "out", ".txt");
    try (ChildProcess child = start(output, command, input == null ? nullFile() : input.toFile())) {
      if (!child.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError(command + " did not end within " + timeout + "; output so far:\n"
            + child.output());
      }
      return new Result(child.process.exitValue(), Files.readAllBytes(output));
    }
  }

  /** The process id. */
  public long pid() {
    return process.pid();
  }

  /** Whether it still runs. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** What it printed so far. */
  public String output() {
    try {
      return Files.readString(output, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  /** Stops this process by its PID and waits for it, with a bound. */
  @Override
  public void close() {
    ProcessHandle handle = process.toHandle();
    if (!handle.isAlive()) {
      return;
    }
    handle.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        handle.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      handle.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "pid " + process.pid() + " " + command;
  }

  private static File nullFile() {
    return new File("/dev/null");
  }

  /** How a program ended and what it printed. */
  public record Result(int exitCode, byte[] output) {
    /** The output as UTF-8 text. */
    public String text() {
      return new String(output, StandardCharsets.UTF_8);
    }
  }
}
