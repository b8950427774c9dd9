package io.meshwork.bench.soak;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One soak server ({@link SoakServerMain}) as the soak drives it: a child JVM with paranoid leak
 * detection, stopped by its PID and started again on the same port. Each run of the process logs
 * to a file of its own, which the soak reads for leak reports and certificate rotations.
 */
final class ServerInstance implements AutoCloseable {

  private static final Duration READY = Duration.ofSeconds(60);
  private static final Duration STOP = Duration.ofSeconds(20);

  private final String name;
  private final Path caDir;
  private final Path logDir;
  private final long ttlSeconds;
  private final List<Path> logs = new ArrayList<>();
  private Process process;
  private int port;

  private ServerInstance(String name, Path caDir, Path logDir, long ttlSeconds) {
    this.name = name;
    this.caDir = caDir;
    this.logDir = logDir;
    this.ttlSeconds = ttlSeconds;
  }

  /** Starts instance {@code name} on any free port. */
  static ServerInstance start(String name, Path caDir, Path logDir, long ttlSeconds) throws IOException {
    ServerInstance instance = new ServerInstance(name, caDir, logDir, ttlSeconds);
    instance.launch();
    return instance;
  }

  int port() {
    return port;
  }

  /**
   * Stops the process by its PID (SIGTERM: it drains, as a deployed service does) and starts it
   * again; returns the seconds the stop took and the seconds until the new process served.
   */
  synchronized double[] restart() throws IOException {
    long start = System.nanoTime();
    stop();
    long stopped = System.nanoTime();
    launch();
    return new double[] {(stopped - start) / 1e9, (System.nanoTime() - stopped) / 1e9};
  }

  /** Occurrences of {@code text} in every log of this instance's processes so far. */
  synchronized long countInLogs(String text) throws IOException {
    long count = 0;
    for (Path log : logs) {
      for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
        if (line.contains(text)) {
          count++;
        }
      }
    }
    return count;
  }

  @Override
  public synchronized void close() {
    stop();
  }

  private void launch() throws IOException {
    Path log = logDir.resolve(name + "-" + (logs.size() + 1) + ".log");
    logs.add(log);
    List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:+UseG1GC", "-Dio.netty.leakDetection.level=paranoid",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
        // The renewal's own log line is how the soak counts the servers' rotations.
        "-Dorg.slf4j.simpleLogger.log.io.meshwork.security.CertificateRenewal=info",
        "-cp", System.getProperty("java.class.path"), SoakServerMain.class.getName(),
        "--ca-dir", caDir.toString(), "--port", Integer.toString(port),
        "--certificate-ttl-seconds", Long.toString(ttlSeconds));
    process = new ProcessBuilder(command).redirectError(log.toFile()).start();
    CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
      try {
        return new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)).readLine();
      } catch (IOException e) {
        return null;
      }
    });
    String line;
    try {
      line = ready.get(READY.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      line = null;
    }
    if (line == null || !line.startsWith("READY ")) {
      stop();
      throw new IOException(name + " did not start within " + READY + " (said: " + line + "); see " + log);
    }
    port = Integer.parseInt(line.substring("READY ".length()).trim());
  }

  private void stop() {
    if (process == null || !process.isAlive()) {
      return;
    }
    ProcessHandle handle = process.toHandle();
    handle.destroy();
    try {
      if (!process.waitFor(STOP.toMillis(), TimeUnit.MILLISECONDS)) {
        handle.destroyForcibly();
        process.waitFor(STOP.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      handle.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
