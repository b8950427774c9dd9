package io.meshwork.controlplane.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The podman command line, run as a child process with the settings container/build.sh wrote
 * (containers.conf: runc, cgroupfs, no default ulimits). A missing podman or runc fails the test with
 * the Debian packages to install: CI installs them, and skipping would hide a broken setup.
 */
final class Podman {

  static final String PACKAGES = "podman runc";

  private final Path executable;
  private final Path containersConf;
  private final Path workDir;

  private Podman(Path executable, Path containersConf, Path workDir) {
    this.executable = executable;
    this.containersConf = containersConf;
    this.workDir = workDir;
  }

  /** Podman with {@code containersConf}; fails unless podman and runc are installed and we are root. */
  static Podman require(Path containersConf, Path workDir) throws IOException {
    Path podman = find("podman", Path.of("/usr/bin/podman"));
    find("runc", Path.of("/usr/sbin/runc"));
    // The owner of /proc/self is this process's user.
    Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    if (!Integer.valueOf(0).equals(uid)) {
      throw new AssertionError("the container image's test runs rootful podman and reads the volume's files:"
          + " run the build as root (as .ci/run does), not as uid " + uid);
    }
    return new Podman(podman, containersConf, workDir);
  }

  /** Runs {@code podman args...} to its end within {@code timeout}. */
  Result run(Duration timeout, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(executable.toString());
    command.addAll(List.of(args));
    Path out = Files.createTempFile(workDir, "podman", ".out");
    Path err = Files.createTempFile(workDir, "podman", ".err");
    ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    builder.environment().put("CONTAINERS_CONF", containersConf.toString());
    Process process = builder.start();
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError(command + " did not end within " + timeout + ":\n" + Files.readString(out)
            + Files.readString(err));
      }
    } finally {
      // Stops this one process by its PID when the wait ended early (timeout, interrupt).
      if (process.isAlive()) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    return new Result(command, process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  /** Runs {@code podman args...} and returns its stdout, stripped; fails the test unless it exits 0. */
  String ok(String... args) throws IOException, InterruptedException {
    Result result = run(Duration.ofMinutes(2), args);
    if (result.exitCode() != 0) {
      throw new AssertionError(result.toString());
    }
    return result.stdout().strip();
  }

  private static Path find(String name, Path usual) {
    if (Files.isExecutable(usual)) {
      return usual;
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
        return Path.of(dir, name);
      }
    }
    throw new AssertionError(name + " is missing (looked at " + usual + " and the PATH): install the Debian packages"
        + " (apt-get install -y --no-install-recommends " + PACKAGES + "), or run ./build.sh packages as root");
  }

  /** How one podman command ended. */
  record Result(List<String> command, int exitCode, String stdout, String stderr) {
    @Override
    public String toString() {
      return String.join(" ", command) + " exited " + exitCode + ":\n" + stdout + stderr;
    }
  }
}
