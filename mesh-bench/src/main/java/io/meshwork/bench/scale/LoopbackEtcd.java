package io.meshwork.bench.scale;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A real etcd cluster on loopback ports, its members children of this JVM, stopped by their PIDs; and
 * what the benchmark reads of it: CPU time and resident memory of each member (from /proc), and
 * etcd's own watcher, stream and event counters (from /metrics). The members keep their data in
 * memory (/dev/shm) when the machine has it: what is measured is etcd's work for the fleet, not the
 * disk of a machine whose other users write to it too.
 */
final class LoopbackEtcd implements AutoCloseable {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  /** Members still running, stopped by a shutdown hook should the benchmark end abruptly. */
  private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly),
        "stop-etcd-members"));
  }

  private final List<Member> members = new ArrayList<>();
  private Path dataRoot;

  private record Member(String name, int clientPort, int peerPort, Process process) {
    String clientUrl() {
      return "http://127.0.0.1:" + clientPort;
    }
  }

  /** Starts {@code size} members with their data under {@code dir}; returns once each is healthy. */
  static LoopbackEtcd start(Path dir, int size) throws IOException {
    String etcd = binary("etcd", "etcd-server");
    LoopbackEtcd cluster = new LoopbackEtcd();
    int[][] ports = new int[size][2];
    List<String> initial = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      ports[i][0] = freePort();
      ports[i][1] = freePort();
      initial.add("m" + (i + 1) + "=http://127.0.0.1:" + ports[i][1]);
    }
    Files.createDirectories(dir);
    Path shm = Path.of("/dev/shm");
    cluster.dataRoot = Files.isDirectory(shm) && Files.isWritable(shm)
        ? Files.createTempDirectory(shm, "meshwork-scale-etcd") : dir;
    try {
      for (int i = 0; i < size; i++) {
        String name = "m" + (i + 1);
        String client = "http://127.0.0.1:" + ports[i][0];
        String peer = "http://127.0.0.1:" + ports[i][1];
        Process process = new ProcessBuilder(etcd, "--name", name, "--data-dir", cluster.dataRoot.resolve(name).toString(),
            "--listen-client-urls", client, "--advertise-client-urls", client, "--listen-peer-urls", peer,
            "--initial-advertise-peer-urls", peer, "--initial-cluster", String.join(",", initial),
            "--initial-cluster-state", "new", "--initial-cluster-token", "meshwork-scale",
            "--logger", "zap", "--log-outputs", "stderr", "--log-level", "warn")
            .redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile()).start();
        RUNNING.add(process);
        cluster.members.add(new Member(name, ports[i][0], ports[i][1], process));
      }
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      for (Member member : cluster.members) {
        while (!healthy(member)) {
          if (System.nanoTime() > end || !member.process().isAlive()) {
            throw new IOException("etcd " + member.name() + " not healthy; see " + dir.resolve(member.name() + ".log"));
          }
          Thread.sleep(50); // polling a process that starts, with a bound
        }
      }
    } catch (IOException | RuntimeException e) {
      cluster.close();
      throw e;
    } catch (InterruptedException e) {
      cluster.close();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    return cluster;
  }

  /** The client URLs, comma-separated. */
  String endpoints() {
    return members.stream().map(Member::clientUrl).collect(Collectors.joining(","));
  }

  /**
   * What the members hold and have used now: CPU seconds and resident memory (summed and per member),
   * watchers, watch streams and events sent (summed over members).
   */
  Map<String, Object> stats() {
    Map<String, Object> stats = new LinkedHashMap<>();
    double cpu = 0;
    long rss = 0;
    long maxRss = 0;
    double watchers = 0;
    double streams = 0;
    double events = 0;
    for (Member member : members) {
      cpu += cpuSeconds(member.process().pid());
      long memberRss = rssBytes(member.process().pid());
      rss += memberRss;
      maxRss = Math.max(maxRss, memberRss);
      String metrics = metrics(member);
      watchers += metric(metrics, "etcd_debugging_mvcc_watcher_total");
      streams += metric(metrics, "etcd_debugging_mvcc_watch_stream_total");
      events += metric(metrics, "etcd_debugging_mvcc_events_total");
    }
    stats.put("cpuSeconds", cpu);
    stats.put("rssBytes", rss);
    stats.put("maxMemberRssBytes", maxRss);
    stats.put("watchers", (long) watchers);
    stats.put("watchStreams", (long) streams);
    stats.put("eventsSent", (long) events);
    return stats;
  }

  /** The CPU seconds each member has used so far. */
  List<Double> memberCpuSeconds() {
    return members.stream().map(member -> cpuSeconds(member.process().pid())).toList();
  }

  @Override
  public void close() {
    for (Member member : members) {
      member.process().destroy();
    }
    for (Member member : members) {
      try {
        if (!member.process().waitFor(10, TimeUnit.SECONDS)) {
          member.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        member.process().destroyForcibly();
        Thread.currentThread().interrupt();
      } finally {
        RUNNING.remove(member.process());
      }
    }
    if (dataRoot != null && dataRoot.startsWith("/dev/shm")) {
      try (var walk = Files.walk(dataRoot)) {
        for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(path);
        }
      } catch (IOException e) {
        System.err.println("could not delete " + dataRoot + ": " + e);
      }
    }
  }

  /** Where the members keep their data. */
  Path dataRoot() {
    return dataRoot;
  }

  private static boolean healthy(Member member) {
    try {
      HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(member.clientUrl() + "/health"))
          .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.ofString());
      return response.body().contains("\"health\":\"true\"");
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static String metrics(Member member) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create(member.clientUrl() + "/metrics"))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the metrics of etcd " + member.name(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static double metric(String metrics, String name) {
    double sum = 0;
    for (String line : metrics.lines().toList()) {
      if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  /** User plus system CPU time of a process, from /proc/PID/stat (fields 14 and 15, in 1/100 s). */
  private static double cpuSeconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
    } catch (IOException e) {
      return Double.NaN;
    }
  }

  private static long rssBytes(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return -1;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** The path of {@code name}, or a failure naming the Debian package that provides it. */
  static String binary(String name, String debianPackage) {
    String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/bin";
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
        return Path.of(dir, name).toString();
      }
    }
    throw new IllegalStateException("'" + name + "' is not installed and the scale benchmark runs a real etcd:"
        + " install the Debian package " + debianPackage + " (apt-get install -y " + debianPackage + ")");
  }
}
