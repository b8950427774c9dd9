package io.meshwork.controlplane.server;

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

/** A one-member etcd on loopback, a child process of the test JVM stopped by its PID. */
final class SingleEtcd implements AutoCloseable {

  private final ChildProcess process;
  private final int clientPort;
  private final Path directory;

  private SingleEtcd(ChildProcess process, int clientPort, Path directory) {
    this.process = process;
    this.clientPort = clientPort;
    this.directory = directory;
  }

  /** Starts etcd in {@code directory} and waits until it is healthy. */
  static SingleEtcd start(Path directory) throws Exception {
    String etcd = binary("etcd", "etcd-server");
    int client = Ports.free();
    int peer = Ports.free();
    String clientUrl = "http://127.0.0.1:" + client;
    String peerUrl = "http://127.0.0.1:" + peer;
    ChildProcess process = ChildProcess.start(directory.resolve("etcd.log"), List.of(etcd, "--name", "s1",
        "--data-dir", directory.resolve("etcd.data").toString(), "--listen-client-urls", clientUrl,
        "--advertise-client-urls", clientUrl, "--listen-peer-urls", peerUrl, "--initial-advertise-peer-urls", peerUrl,
        "--initial-cluster", "s1=" + peerUrl));
    SingleEtcd started = new SingleEtcd(process, client, directory);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(clientUrl + "/health"))
            .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.ofString());
        if (health.body().contains("\"health\":\"true\"")) {
          return started;
        }
      } catch (IOException notYet) {
        Thread.sleep(50); // etcd has not opened its port yet: nothing to wait on but time
      }
    }
    started.close();
    throw new AssertionError("etcd not healthy within 20 s:\n" + process.output());
  }

  String endpoint() {
    return "http://127.0.0.1:" + clientPort;
  }

  /** Runs etcdctl (v3) against this etcd and returns what it printed. */
  String etcdctl(String... arguments) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("env", "ETCDCTL_API=3", binary("etcdctl", "etcd-client"),
        "--endpoints", endpoint()));
    command.addAll(List.of(arguments));
    ChildProcess.Result result = ChildProcess.run(directory, Duration.ofSeconds(20), command);
    if (result.exitCode() != 0) {
      throw new AssertionError(command + " failed: " + result.text());
    }
    return result.text();
  }

  private static String binary(String name, String debianPackage) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      Path candidate = Path.of(dir, name);
      if (!dir.isEmpty() && Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    throw new AssertionError(name + " is missing: install the Debian package '" + debianPackage
        + "' (apt-get install -y " + debianPackage + ")");
  }

  @Override
  public void close() {
    process.close();
  }
}
