package io.meshwork.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the figures were measured on: CPU, memory, kernel, JDK, library versions, load. */
final class MachineInfo {

  private MachineInfo() {}

  static Map<String, Object> describe(boolean epoll) {
    Map<String, Object> machine = new LinkedHashMap<>();
    machine.put("cpu", firstValue(Path.of("/proc/cpuinfo"), "model name"));
    machine.put("cores", Runtime.getRuntime().availableProcessors());
    String memKb = firstValue(Path.of("/proc/meminfo"), "MemTotal");
    machine.put("memoryGiB", memKb.isEmpty() ? "?" : String.format(java.util.Locale.ROOT, "%.1f",
        Long.parseLong(memKb.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0));
    machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    machine.put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
    machine.put("netty", io.netty.util.Version.identify().getOrDefault("netty-common",
        io.netty.util.Version.identify().values().iterator().next()).artifactVersion());
    machine.put("nativeTransport", epoll ? "epoll" : "nio");
    machine.put("armeria", com.linecorp.armeria.common.util.Version.get("armeria").artifactVersion());
    machine.put("haproxy", Haproxy.version());
    return machine;
  }

  /** The 1, 5 and 15 minute load averages, as /proc/loadavg gives them. */
  static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return fields[0] + " " + fields[1] + " " + fields[2];
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static String firstValue(Path file, String key) {
    try {
      for (String line : Files.readAllLines(file)) {
        if (line.startsWith(key)) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException e) {
      // not Linux
    }
    return "";
  }
}
