package io.meshwork.bench.client;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time spent so far by this JVM and, for the sidecar path, by the proxy process: the cost the
 * client side of a call pays, whichever process pays it.
 */
final class CpuClock {

  /** Linux reports process times in clock ticks of 1/100 s on every common configuration. */
  private static final long NANOS_PER_TICK = 10_000_000L;

  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private final long sidecarPid;

  /** {@code sidecarPid} 0 when there is no sidecar. */
  CpuClock(long sidecarPid) {
    this.sidecarPid = sidecarPid;
  }

  /** This JVM's process CPU time, user and system, in nanoseconds. */
  long processNanos() {
    return os.getProcessCpuTime();
  }

  /** The sidecar's CPU time in nanoseconds (user + system of all its threads); 0 without one. */
  long sidecarNanos() {
    if (sidecarPid <= 0) {
      return 0;
    }
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(sidecarPid), "stat"));
      // Fields after the command name, which is in parentheses and may hold spaces.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * NANOS_PER_TICK;
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("cannot read the CPU time of sidecar pid " + sidecarPid, e);
    }
  }
}
