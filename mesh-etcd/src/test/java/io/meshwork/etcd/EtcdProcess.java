package io.meshwork.etcd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One real etcd member, a child process of the test JVM on loopback ports, with its data in a test's
 * temporary directory. It is always stopped by its own process id: by the test, and else by a JVM
 * shutdown hook (the machines' PID 1 does not reap orphans, so none may be left behind).
 */
final class EtcdProcess implements AutoCloseable {

  private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofMillis(500)).build();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly),
        "etcd-test-reaper"));
  }

  private final String name;
  private final Path dataDir;
  private final Path logFile;
  private final int clientPort;
  private final int peerPort;
  private String initialCluster;
  private TestCertificates tls; // null: plaintext client URL
  private Process process;

  /** A member named {@code name} keeping its data in {@code dir}; not started. */
  EtcdProcess(String name, Path dir) {
    this.name = name;
    this.dataDir = dir.resolve(name + ".data");
    this.logFile = dir.resolve(name + ".log");
    this.clientPort = FreePorts.next();
    this.peerPort = FreePorts.next();
    this.initialCluster = name + "=" + peerUrl();
  }

  /** Starts a single-member etcd in {@code dir} and waits until it is healthy. */
  static EtcdProcess startSingle(Path dir) {
    EtcdProcess etcd = new EtcdProcess("single", dir);
    etcd.start();
    etcd.awaitHealthy(Duration.ofSeconds(10));
    return etcd;
  }

  /** Serves clients over TLS with these certificates and asks them for one of their own. */
  void tls(TestCertificates certificates) {
    this.tls = certificates;
  }

  /** The members of the cluster it belongs to, as {@code --initial-cluster} takes them. */
  void initialCluster(String members) {
    this.initialCluster = members;
  }

  /** Launches the process; with the same data directory and ports when started again. */
  void start() {
    if (isRunning()) {
      throw new IllegalStateException(name + " is already running");
    }
    List<String> command = new ArrayList<>(List.of(EtcdBinaries.etcd(),
        "--name", name, "--data-dir", dataDir.toString(),
        "--listen-client-urls", clientUrl(), "--advertise-client-urls", clientUrl(),
        "--listen-peer-urls", peerUrl(), "--initial-advertise-peer-urls", peerUrl(),
        "--initial-cluster", initialCluster, "--initial-cluster-state", "new",
        "--initial-cluster-token", "meshwork-test", "--logger", "zap", "--log-outputs", "stderr"));
    if (tls != null) {
      command.addAll(List.of("--cert-file", tls.serverCert().toString(), "--key-file",
          tls.serverKey().toString(), "--trusted-ca-file", tls.ca().toString(), "--client-cert-auth"));
    }
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command, e);
    }
    RUNNING.add(process);
  }

  /** Waits until the member answers /health with true (it has a leader), or fails after {@code bound}. */
  void awaitHealthy(Duration bound) {
    long end = System.nanoTime() + bound.toNanos();
    while (System.nanoTime() < end) {
      if (!isRunning()) {
        throw new AssertionError(name + " exited with " + process.exitValue() + "; log:\n" + log());
      }
      if (isHealthy()) {
        return;
      }
      pause(20);
    }
    throw new AssertionError(name + " not healthy within " + bound + "; log:\n" + log());
  }

  /** Whether /health says true now. */
  boolean isHealthy() {
    if (tls != null) {
      try {
        return Etcdctl.run(clientUrl(), "--cacert", tls.ca().toString(), "--cert",
            tls.clientCert().toString(), "--key", tls.clientKey().toString(), "endpoint", "health")
            .contains("is healthy");
      } catch (AssertionError notYet) {
        return false;
      }
    }
    try {
      HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(clientUrl() + "/health"))
          .timeout(Duration.ofMillis(500)).build(), HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 && response.body().contains("\"health\":\"true\"");
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Kills it at once (SIGKILL), as a crash would, and waits for it to be gone. */
  void kill() {
    end(true);
  }

  /** Stops it (SIGTERM, then SIGKILL after 5 s) and waits for it to be gone. */
  void stop() {
    end(false);
  }

  /** Deletes its data, as a member replaced by a new machine would have none; only while stopped. */
  void wipeData() throws IOException {
    if (isRunning()) {
      throw new IllegalStateException(name + " is running");
    }
    try (var paths = Files.walk(dataDir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Override
  public void close() {
    stop();
  }

  boolean isRunning() {
    return process != null && process.isAlive();
  }

  long pid() {
    return process.pid();
  }

  String name() {
    return name;
  }

  String clientUrl() {
    return (tls == null ? "http" : "https") + "://127.0.0.1:" + clientPort;
  }

  String peerUrl() {
    return "http://127.0.0.1:" + peerPort;
  }

  /** Its log so far, for failure messages. */
  String log() {
    try {
      String text = Files.readString(logFile);
      return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private void end(boolean forcibly) {
    Process current = process;
    if (current == null) {
      return;
    }
    try {
      if (forcibly) {
        current.destroyForcibly();
      } else {
        current.destroy();
      }
      if (!current.waitFor(5, TimeUnit.SECONDS)) {
        current.destroyForcibly();
        current.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      current.destroyForcibly();
      Thread.currentThread().interrupt();
    } finally {
      RUNNING.remove(current);
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis); // polling interval of a bounded wait for a process, not a wait for time
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
