package io.meshwork.bench.scale;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** What the figures were measured on, and what else was running: cores, memory, load, busy processes. */
final class Machine {

  private Machine() {}

  static Map<String, Object> describe() {
    Map<String, Object> machine = new LinkedHashMap<>();
    machine.put("cores", Runtime.getRuntime().availableProcessors());
    machine.put("memTotal", firstLine(Path.of("/proc/meminfo"), "MemTotal"));
    machine.put("cpu", firstLine(Path.of("/proc/cpuinfo"), "model name"));
    machine.put("jdk", System.getProperty("java.runtime.version"));
    machine.put("etcd", command(LoopbackEtcd.binary("etcd", "etcd-server"), "--version").lines().findFirst().orElse(""));
    return machine;
  }

  /** The 1, 5 and 15 minute load averages. */
  static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return fields[0] + " " + fields[1] + " " + fields[2];
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** The {@code count} processes using the most CPU now, as {@code ps} lists them. */
  static List<String> busiest(int count) {
    List<String> lines = new ArrayList<>(command("ps", "-eo", "pcpu,rss,comm", "--sort=-pcpu").lines().toList());
    return lines.subList(0, Math.min(lines.size(), count + 1));
  }

  private static String firstLine(Path file, String key) {
    try {
      for (String line : Files.readAllLines(file)) {
        if (line.startsWith(key)) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException e) {
      return "unknown";
    }
    return "unknown";
  }

  private static String command(String... command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes());
      process.waitFor(10, TimeUnit.SECONDS);
      return output;
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }
}
