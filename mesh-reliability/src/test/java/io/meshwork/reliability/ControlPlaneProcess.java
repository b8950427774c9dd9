package io.meshwork.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshwork.controlplane.server.Main;
import io.meshwork.netty.testing.ChildProcess;
import io.meshwork.netty.testing.Ports;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The Meshwork control plane as an operator runs it: its command line ({@link Main}) in a JVM of its
 * own, with the embedded store saved in its data directory (CA, admin token, {@code state.json}), on
 * one loopback port for its whole life so that meshes find it again after a restart. {@link #kill()}
 * ends it by its PID with SIGKILL, as a crash does; {@link #start()} runs it again on the same port
 * and data, as a restarted controller.
 */
final class ControlPlaneProcess implements AutoCloseable {

  private static final Duration START = Duration.ofSeconds(90);
  private static final String LISTENING = "Meshwork control plane listening on";
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final Path directory;
  private final int port;
  private ChildProcess process;
  private int runs;

  private ControlPlaneProcess(Path directory, int port) {
    this.directory = directory;
    this.port = port;
  }

  /** Starts a control plane on a free loopback port with its data in {@code directory}/data. */
  static ControlPlaneProcess start(Path directory) throws IOException {
    ControlPlaneProcess controlPlane = new ControlPlaneProcess(directory, Ports.free());
    controlPlane.start();
    return controlPlane;
  }

  /** Runs it (again): returns once it listens; its output goes to {@code controlplane-<n>.log}. */
  void start() throws IOException {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException("the control plane still runs as pid " + process.pid());
    }
    List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        // Small and quick to start (C1 only): the restart's start-up is part of the outage.
        "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
        "--port", Integer.toString(port), "--data-dir", directory.resolve("data").toString());
    process = ChildProcess.start(directory.resolve("controlplane-" + ++runs + ".log"), command);
    long end = System.nanoTime() + START.toNanos();
    while (!process.output().contains(LISTENING)) {
      if (!process.isAlive()) {
        throw new AssertionError("the control plane ended at start:\n" + process.output());
      }
      if (System.nanoTime() - end > 0) {
        throw new AssertionError("the control plane did not listen within " + START + ":\n" + process.output());
      }
      LockSupport.parkNanos(10_000_000); // its output is a file: there is no event to wait on
    }
  }

  /** SIGKILL by PID: no goodbye to any connection, nothing flushed; waits until it is gone. */
  void kill() throws InterruptedException {
    ProcessHandle handle = ProcessHandle.of(process.pid()).orElse(null);
    if (handle == null) {
      return;
    }
    handle.destroyForcibly();
    try {
      handle.onExit().get(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new AssertionError("the control plane, pid " + process.pid() + ", still runs 10 s after SIGKILL", e);
    }
  }

  /** Its address. */
  URI uri() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** A bootstrap token of the namespace {@code default} for {@code service}, made with the admin token. */
  String bootstrapToken(String service) throws IOException, InterruptedException {
    String admin = Files.readString(directory.resolve("data").resolve("admin-token")).strip();
    HttpRequest request = HttpRequest.newBuilder(uri().resolve("/api/v1/bootstrap-tokens"))
        .timeout(Duration.ofSeconds(20)).header("authorization", "Bearer " + admin)
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"service_name\":\"" + service + "\",\"namespace\":\"default\"}"))
        .build();
    HttpResponse<String> answer = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    if (answer.statusCode() != 200) {
      throw new AssertionError("POST /api/v1/bootstrap-tokens answered " + answer.statusCode() + ": " + answer.body());
    }
    JsonNode token = new ObjectMapper().readTree(answer.body()).get("token");
    if (token == null) {
      throw new AssertionError("no token in " + answer.body());
    }
    return token.asText();
  }

  /** Stops it by its PID (TERM, then KILL within a bound). */
  @Override
  public void close() {
    if (process != null) {
      process.close();
    }
  }
}
