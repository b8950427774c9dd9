package io.meshwork.bench.client;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.TreeMap;

/**
 * The CPU time of a client's event-loop threads, read at the edges of a measured window: it shows
 * whether the client kept every loop (every core) busy or left one idle.
 */
final class LoopCpu {

  private final String prefix;
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

  /** Watches the threads whose name starts with {@code prefix}. */
  LoopCpu(String prefix) {
    this.prefix = prefix;
  }

  /** CPU nanoseconds so far of each live loop thread, by name. */
  Map<String, Long> snapshot() {
    Map<String, Long> cpu = new TreeMap<>();
    if (!threads.isThreadCpuTimeSupported()) {
      return cpu;
    }
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null && info.getThreadName().startsWith(prefix)) {
        long nanos = threads.getThreadCpuTime(info.getThreadId());
        if (nanos >= 0) {
          cpu.put(info.getThreadName(), nanos);
        }
      }
    }
    return cpu;
  }

  /** What each thread spent between {@code before} and {@code after}; a thread new since counts from 0. */
  static Map<String, Long> spent(Map<String, Long> after, Map<String, Long> before) {
    Map<String, Long> spent = new TreeMap<>();
    after.forEach((name, nanos) -> spent.put(name, nanos - before.getOrDefault(name, 0L)));
    return spent;
  }
}
