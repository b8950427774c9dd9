package io.meshwork.etcd;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real etcdctl (API v3) against some endpoints, with a bound, and returns its output. */
final class Etcdctl {

  private Etcdctl() {}

  /** etcdctl's standard output; fails the test when it exits non-zero or runs past 15 s. */
  static String run(String endpoints, String... args) {
    List<String> command = new ArrayList<>(List.of(EtcdBinaries.etcdctl(), "--endpoints=" + endpoints,
        "--dial-timeout=2s", "--command-timeout=5s"));
    command.addAll(List.of(args));
    Process process = null;
    Path out = null;
    try {
      // A file, not a pipe: a hung etcdctl then cannot block the test past the bound below.
      out = Files.createTempFile("etcdctl", ".out");
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      builder.environment().put("ETCDCTL_API", "3");
      process = builder.start();
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        throw new AssertionError("etcdctl " + String.join(" ", args) + " did not exit within 15 s");
      }
      String output = Files.readString(out, StandardCharsets.UTF_8);
      if (process.exitValue() != 0) {
        throw new AssertionError("etcdctl " + String.join(" ", args) + " exited with "
            + process.exitValue() + ": " + output);
      }
      return output;
    } catch (IOException e) {
      throw new AssertionError("cannot run etcdctl", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while running etcdctl", e);
    } finally {
      if (process != null && process.isAlive()) {
        process.destroyForcibly();
      }
      if (out != null) {
        out.toFile().delete();
      }
    }
  }
}
