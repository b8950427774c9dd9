package io.meshwork.controlplane.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** A control plane on a free loopback port with its own data directory, for one test. */
final class TestControlPlane implements AutoCloseable {

  final Path directory;
  private ControlPlaneServer server;
  private final int port;

  TestControlPlane(Path directory) {
    this(directory, 0);
  }

  TestControlPlane(Path directory, int port) {
    this.directory = directory;
    this.server = builder(directory).port(port).start();
    this.port = server.port();
  }

  static ControlPlaneServer.Builder builder(Path directory) {
    return ControlPlaneServer.builder().dataDirectory(directory).healthCheckInterval(Duration.ofMillis(300));
  }

  ControlPlaneServer server() {
    return server;
  }

  /** The admin token from its file, as an operator would read it. */
  String adminToken() {
    try {
      return Files.readString(server.adminTokenFile()).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The API with the admin token. */
  ApiClient admin() {
    return new ApiClient(server.uri(), adminToken());
  }

  /** The API with no token. */
  ApiClient anonymous() {
    return new ApiClient(server.uri(), null);
  }

  /** A bootstrap token for {@code namespace/service}. */
  String bootstrapToken(String namespace, String service) {
    ApiClient.Answer answer = admin().post("/api/v1/bootstrap-tokens",
        "{\"service_name\":\"" + service + "\",\"namespace\":\"" + namespace + "\"}");
    if (answer.status() != 200) {
      throw new AssertionError(answer.toString());
    }
    return answer.json().get("token").asText();
  }

  /** Stops it; {@link #restart()} starts it again on the same port with the same data. */
  void stop() {
    server.close();
  }

  void restart() {
    server = builder(directory).port(port).start();
  }

  @Override
  public void close() {
    server.close();
  }
}
