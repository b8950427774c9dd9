package io.meshwork.bench.soak;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.meshwork.security.CertificateAuthority;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The soak ({@code mesh-bench/run.sh --soak [minutes]}): three Meshwork servers, each a child JVM,
 * serve STRICT mTLS from one CA; this JVM's mesh calls them, first closed-loop for the maximum
 * throughput, then open-loop at 80% of it for the given minutes (10 unless told). Meanwhile every
 * mesh renews its certificate every minute (a 2-minute lifetime, renewed at half), one server is
 * stopped by its PID and started again every two minutes (once, half-way, in a run shorter than
 * that), and every 10 s this JVM collects ({@code System.gc()}) and samples the heap used
 * ({@code MemoryMXBean.getHeapMemoryUsage().getUsed()} right after). Netty runs paranoid leak
 * detection in every JVM.
 *
 * <p>Writes {@code mesh-bench/target/soak-run/soak.json}; a run of 10 minutes or more (or one with
 * {@code --publish}) also writes {@code mesh-bench/results/soak.json} and the result table of
 * docs/reliability.md. Exits 1 when the soak fails ({@link SoakOutcome#failures()}).
 *
 * <pre>
 * SoakMain [--minutes M] [--repo DIR] [--publish]
 * </pre>
 */
public final class SoakMain {

  private static final int SERVERS = 3;
  private static final Duration CERTIFICATE_TTL = Duration.ofMinutes(2);
  private static final Duration RESTART_EVERY = Duration.ofMinutes(2);
  private static final Duration SAMPLE_EVERY = Duration.ofSeconds(10);
  private static final double SHARE_OF_MAXIMUM = 0.8;
  private static final double PUBLISHED_MINUTES = 10;

  private SoakMain() {}

  /** Runs the soak and exits 0 when it passed, 1 when it failed. */
  public static void main(String[] args) throws Exception {
    LeakCounter.install(); // before anything allocates a buffer, or that buffer's detector would not count
    double minutes = PUBLISHED_MINUTES;
    Path repo = Path.of("").toAbsolutePath();
    boolean publish = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--minutes" -> minutes = minutes(args[++i]);
        case "--repo" -> repo = Path.of(args[++i]).toAbsolutePath();
        case "--publish" -> publish = true;
        default -> throw new IllegalArgumentException("unknown argument: " + args[i]
            + " (expected: --minutes M, --repo DIR, --publish)");
      }
    }
    SoakOutcome outcome = run(repo, minutes);
    write(repo, outcome, publish || minutes >= PUBLISHED_MINUTES);
    List<String> failures = outcome.failures();
    failures.forEach(failure -> say("FAILED: " + failure));
    System.out.println("soak: " + (failures.isEmpty() ? "pass" : "fail"));
    System.exit(failures.isEmpty() ? 0 : 1);
  }

  static double minutes(String value) {
    double minutes;
    try {
      minutes = Double.parseDouble(value);
    } catch (NumberFormatException e) {
      minutes = Double.NaN;
    }
    if (!(minutes > 0 && minutes <= 24 * 60)) {
      throw new IllegalArgumentException("--soak minutes: " + value + " (expected: a number of minutes > 0 and <= 1440)");
    }
    return minutes;
  }

  private static SoakOutcome run(Path repo, double minutes) throws IOException {
    Path work = repo.resolve("mesh-bench/target/soak-run");
    Path logs = Files.createDirectories(work.resolve("logs"));
    try (var old = Files.list(logs)) {
      for (Path log : old.toList()) {
        Files.delete(log);
      }
    }
    Path caDir = work.resolve("ca");
    CertificateAuthority authority = CertificateAuthority.create("cluster.local");
    authority.save(caDir);
    List<ServerInstance> servers = new ArrayList<>();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> servers.forEach(ServerInstance::close), "soak-stop"));
    try {
      for (int i = 0; i < SERVERS; i++) {
        servers.add(ServerInstance.start("server-" + i, caDir, logs, CERTIFICATE_TTL.toSeconds()));
      }
      say(SERVERS + " mTLS servers on ports " + servers.stream().map(ServerInstance::port).toList()
          + "; load average " + loadAverage());
      return soak(repo, minutes, authority, servers);
    } finally {
      servers.forEach(ServerInstance::close);
    }
  }

  private static SoakOutcome soak(Path repo, double minutes, CertificateAuthority authority, List<ServerInstance> servers)
      throws IOException {
    String startedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    long clientStart = System.nanoTime();
    try (SoakClient client = new SoakClient(authority, CERTIFICATE_TTL, servers.stream().map(ServerInstance::port).toList(),
        SoakMain::say)) {
      client.observeRotations();
      SoakLoad load = new SoakLoad(client::call);
      say("closed loop, 16 callers: 10 s warm-up, 20 s measured");
      double max = load.closedLoopMaximum(16, Duration.ofSeconds(10), Duration.ofSeconds(20));
      Map<String, Long> warmUpAttemptFailures = client.attemptFailures();
      load.reset();
      double rate = max * SHARE_OF_MAXIMUM;
      Duration duration = Duration.ofMillis(Math.round(minutes * 60_000));
      say(String.format(Locale.ROOT, "maximum %.0f calls/s; soak at %.0f calls/s for %s", max, rate, duration));
      List<double[]> heap = new CopyOnWriteArrayList<>();
      AtomicInteger restarts = new AtomicInteger();
      int plannedRestarts = plannedRestarts(duration);
      long start = System.nanoTime();
      ScheduledExecutorService timers = Executors.newScheduledThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "soak-timer");
        thread.setDaemon(true);
        return thread;
      });
      timers.scheduleAtFixedRate(() -> {
        heap.add(new double[] {(System.nanoTime() - start) / 1e9, heapAfterGc()});
        int rotations = client.observeRotations();
        say(String.format(Locale.ROOT, "%4.0f s: %,d calls, errors %s, heap after GC %.1f MiB, rotations %d,"
            + " restarts %d, leaks %d, failed attempts %s", (System.nanoTime() - start) / 1e9, load.calls(), load.errors(),
            heap.get(heap.size() - 1)[1] / 1048576, rotations, restarts.get(), LeakCounter.reports(),
            client.attemptFailures()));
      }, SAMPLE_EVERY.toNanos(), SAMPLE_EVERY.toNanos(), TimeUnit.NANOSECONDS);
      for (int k = 1; k <= plannedRestarts; k++) {
        ServerInstance victim = servers.get((k - 1) % servers.size());
        timers.schedule(() -> restart(victim, restarts), restartAt(duration, k).toNanos(), TimeUnit.NANOSECONDS);
      }
      load.openLoop(rate, duration);
      double seconds = (System.nanoTime() - start) / 1e9;
      long open = load.awaitQuiet(Duration.ofSeconds(30));
      timers.shutdown(); // cancels the sampling; lets a restart in progress finish
      awaitTermination(timers);
      LeakCounter.flush();
      heap.add(new double[] {(System.nanoTime() - start) / 1e9, heapAfterGc()});
      int rotations = client.observeRotations();
      int expectedRotations = (int) ((System.nanoTime() - clientStart) / 1e9 / (CERTIFICATE_TTL.toSeconds() / 2 * 1.1));
      long serverLeaks = 0;
      int serverRotations = 0;
      for (ServerInstance server : servers) {
        server.close(); // first: a server's last leak reports are written as it stops
        serverLeaks += server.countInLogs("LEAK:");
        serverRotations += (int) server.countInLogs("renewed certificate");
      }
      return new SoakOutcome(startedAt, commit(repo), seconds, max, rate, load.calls(), load.errors(), open,
          LeakCounter.reports(), serverLeaks, new HeapTrend(heap), rotations, serverRotations, expectedRotations,
          restarts.get(), plannedRestarts, difference(client.attemptFailures(), warmUpAttemptFailures));
    }
  }

  private static Map<String, Long> difference(Map<String, Long> after, Map<String, Long> before) {
    Map<String, Long> delta = new java.util.TreeMap<>();
    after.forEach((type, count) -> {
      long soakOnly = count - before.getOrDefault(type, 0L);
      if (soakOnly > 0) {
        delta.put(type, soakOnly);
      }
    });
    return delta;
  }

  /** Restarts every two minutes; a run shorter than that restarts once, half-way. */
  static int plannedRestarts(Duration duration) {
    long every = (duration.toNanos() - 1) / RESTART_EVERY.toNanos();
    return (int) Math.max(1, every);
  }

  /** When restart {@code k} (from 1) is due. */
  static Duration restartAt(Duration duration, int k) {
    return duration.compareTo(RESTART_EVERY) <= 0 ? duration.dividedBy(2) : RESTART_EVERY.multipliedBy(k);
  }

  private static void restart(ServerInstance server, AtomicInteger restarts) {
    try {
      double[] took = server.restart();
      restarts.incrementAndGet();
      say(String.format(Locale.ROOT, "restarted the server on port %d: stopped by PID in %.1f s, serving again"
          + " %.1f s later", server.port(), took[0], took[1]));
    } catch (IOException | RuntimeException e) {
      say("restart failed: " + e);
    }
  }

  /** Heap used right after a full collection, in bytes. */
  private static double heapAfterGc() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static void write(Path repo, SoakOutcome outcome, boolean publish) throws IOException {
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    Map<String, Object> results = outcome.toJson();
    results.put("machine", machine());
    Path out = repo.resolve("mesh-bench/target/soak-run/soak.json");
    json.writeValue(out.toFile(), results);
    say("results written to " + repo.relativize(out));
    if (publish) {
      json.writeValue(repo.resolve("mesh-bench/results/soak.json").toFile(), results);
      Path doc = repo.resolve("docs/reliability.md");
      String text = Files.exists(doc) ? Files.readString(doc, StandardCharsets.UTF_8) : "";
      Files.writeString(doc, SoakSection.update(text, outcome, machine()), StandardCharsets.UTF_8);
      say("mesh-bench/results/soak.json and the soak table of docs/reliability.md updated");
    }
  }

  private static String machine() {
    return Runtime.getRuntime().availableProcessors() + " cores, load average " + loadAverage()
        + " (1, 5, 15 min) at the end";
  }

  private static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return fields[0] + " " + fields[1] + " " + fields[2];
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** The commit measured, from git; {@code -dirty} when tracked files have changes. */
  private static String commit(Path repo) {
    String head = git(repo, "rev-parse", "--short", "HEAD");
    String status = git(repo, "status", "--porcelain", "--untracked-files=no");
    return head.isEmpty() ? "unknown" : status.isEmpty() ? head : head + "-dirty";
  }

  private static String git(Path repo, String... args) {
    List<String> command = new ArrayList<>(List.of("git"));
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).directory(repo.toFile()).redirectErrorStream(true)
          .start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      return process.waitFor() == 0 ? out : "";
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  private static void awaitTermination(ScheduledExecutorService timers) {
    try {
      // A restart in progress takes at most a stop and a start.
      timers.awaitTermination(90, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void say(String line) {
    System.out.println("[soak " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "] " + line);
    System.out.flush();
  }
}
