package io.meshwork.security;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real {@code openssl} binary, so certificates are judged by an implementation that is not ours. */
final class Openssl {

  private static final Path BINARY = Path.of("/usr/bin/openssl");

  /** What one run printed (stdout and stderr together) and how it exited. */
  record Result(int exitCode, String output) {
    boolean succeeded() {
      return exitCode == 0;
    }
  }

  private Openssl() {}

  /** Runs {@code openssl args...} in {@code directory}. */
  static Result run(Path directory, String... args) {
    if (!Files.isExecutable(BINARY)) {
      fail("these tests need the openssl command line tool at " + BINARY
          + " (Debian: apt-get install openssl); it was not found");
    }
    List<String> command = new ArrayList<>();
    command.add(BINARY.toString());
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
      process.getOutputStream().close();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        fail("openssl " + String.join(" ", args) + " did not finish within 60 s");
      }
      return new Result(process.exitValue(), output);
    } catch (IOException e) {
      throw new AssertionError("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted running " + command, e);
    }
  }

  /** Runs {@code openssl args...} and returns its output, failing the test when it exits non-zero. */
  static String check(Path directory, String... args) {
    Result result = run(directory, args);
    if (!result.succeeded()) {
      fail("openssl " + String.join(" ", args) + " exited " + result.exitCode() + ":\n" + result.output());
    }
    return result.output();
  }

  /** Writes {@code text} to {@code directory/name} and returns the file. */
  static Path write(Path directory, String name, String text) {
    try {
      return Files.writeString(directory.resolve(name), text, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new AssertionError("cannot write " + name, e);
    }
  }
}
