package io.meshwork.bench.harness;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * A local HAProxy in front of the backend instances: the sidecar-proxy architecture Meshwork
 * replaces (Envoy is not installable here; HAProxy stands in). The harness writes its config and
 * runs it in the foreground as a child, stopped by PID.
 */
final class Haproxy implements AutoCloseable {

  private final ChildProcess process;
  final int port;

  private Haproxy(ChildProcess process, int port) {
    this.process = process;
    this.port = port;
  }

  /** The haproxy binary, or null when it is not installed. */
  static Path binary() {
    for (String candidate : List.of("/usr/sbin/haproxy", "/usr/local/sbin/haproxy", "/usr/bin/haproxy")) {
      if (Files.isExecutable(Path.of(candidate))) {
        return Path.of(candidate);
      }
    }
    return null;
  }

  /** The installed version line, such as "HAProxy version 2.6.12". */
  static String version() {
    Path binary = binary();
    if (binary == null) {
      return "not installed";
    }
    try {
      Process process = new ProcessBuilder(binary.toString(), "-v").redirectErrorStream(true).start();
      String first = new String(process.getInputStream().readAllBytes()).lines().findFirst().orElse("");
      process.waitFor();
      return first.replaceAll(" - https?://\\S+", "").trim();
    } catch (IOException e) {
      return "unknown";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }

  /** Round robin over {@code ports}, with retries and redispatch as a sidecar would do them. */
  static Haproxy balancing(Launcher launcher, String name, List<Integer> ports) {
    StringBuilder servers = new StringBuilder();
    for (int i = 0; i < ports.size(); i++) {
      servers.append("  server s").append(i).append(" 127.0.0.1:").append(ports.get(i)).append(" maxconn 1024\n");
    }
    return start(launcher, name, "  default_backend backend\n",
        "backend backend\n" + BACKEND_POLICY + servers);
  }

  /** {@code services} backends of {@code instances} servers each, chosen by the path prefix /svcN/. */
  static Haproxy routing(Launcher launcher, String name, int services, int instances, List<Integer> ports) {
    StringBuilder routes = new StringBuilder();
    StringBuilder backends = new StringBuilder();
    for (int s = 0; s < services; s++) {
      routes.append("  use_backend svc").append(s).append(" if { path_beg /svc").append(s).append("/ }\n");
      backends.append("backend svc").append(s).append('\n').append(BACKEND_POLICY);
      for (int i = 0; i < instances; i++) {
        backends.append("  server s").append(i).append(" 127.0.0.1:").append(ports.get(s * instances + i))
            .append(" maxconn 1024\n");
      }
    }
    return start(launcher, name, routes.toString(), backends.toString());
  }

  private static final String BACKEND_POLICY = """
        balance roundrobin
        retries 2
        option redispatch 1
        retry-on conn-failure empty-response response-timeout 503
        http-reuse always
      """;

  private static Haproxy start(Launcher launcher, String name, String frontendRules, String backends) {
    Path binary = binary();
    if (binary == null) {
      throw new IllegalStateException("haproxy is not installed (run.sh installs it: apt-get install haproxy)");
    }
    int port = freePort();
    String config = """
        global
          maxconn 4096
          nbthread 2
        defaults
          mode http
          timeout connect 2s
          timeout client 30s
          timeout server 30s
          option http-keep-alive
        frontend main
          bind 127.0.0.1:%d
        %s
        %s
        """.formatted(port, frontendRules, backends);
    try {
      Files.createDirectories(launcher.logDir);
      Path file = launcher.logDir.resolve(name + ".cfg");
      Files.writeString(file, config);
      ChildProcess process = launcher.startProgram(name, List.of(binary.toString(), "-db", "-f", file.toString()));
      Haproxy proxy = new Haproxy(process, port);
      proxy.awaitListening();
      return proxy;
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the haproxy config", e);
    }
  }

  long pid() {
    return process.pid();
  }

  /** The proxy's resident memory in bytes. */
  long residentBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException e) {
      // gone
    }
    return -1;
  }

  @Override
  public void close() {
    process.close();
  }

  /** Waits for the frontend to accept connections: up to 10 s, checking every 20 ms. */
  private void awaitListening() {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("haproxy exited at start; see " + process.name() + ".log");
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException e) {
        LockSupport.parkNanos(20_000_000L);
      }
    }
    close();
    throw new IllegalStateException("haproxy did not listen on " + port + " within 10 s");
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free port", e);
    }
  }
}
