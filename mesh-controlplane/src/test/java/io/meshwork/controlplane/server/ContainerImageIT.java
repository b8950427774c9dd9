package io.meshwork.controlplane.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshwork.netty.testing.ChildProcess;
import io.meshwork.netty.testing.Ports;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container image, as an operator uses it: container/build.sh builds it with podman from the
 * packaged jars (so this runs after {@code package}), and it runs on the host's network, configured by
 * environment variables, its data on a named volume. Run as root (rootful podman), as CI does. The pom runs
 * it in the integration-test phase (the tag keeps it out of the test phase even when -Dtest names it).
 */
@Tag("container-image")
class ContainerImageIT {

  private static final Path MODULE = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
  private static final String TAG = "localhost/meshwork/controlplane:" + System.getProperty("project.version");
  private static final String DATA = "/var/lib/meshwork";
  private static final Duration START = Duration.ofSeconds(90);

  @TempDir
  Path directory;

  @Test
  @Timeout(value = 6, unit = TimeUnit.MINUTES) // a cold build runs jdeps and jlink first
  void buildsAnImageThatServesTheApiAsUser65532AndKeepsItsTokenOwnerOnlyOnTheVolume() throws Exception {
    Podman podman = Podman.require(MODULE.resolve("target/container/containers.conf"), directory);
    ChildProcess.Result build = ChildProcess.run(directory, Duration.ofMinutes(5), List.of(
        MODULE.resolve("container/build.sh").toString(), "--jdk", System.getProperty("java.home"), "--tag", TAG));
    assertThat(build.exitCode()).as(build.text()).isZero();
    System.out.println(build.text().strip().lines().reduce((first, last) -> last).orElseThrow());
    checkImage(podman);

    String suffix = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    String name = "meshwork-controlplane-it-" + suffix;
    String volume = "meshwork-controlplane-it-" + suffix;
    int port = Ports.free();
    URI uri = URI.create("http://127.0.0.1:" + port);
    try {
      podman.ok("run", "-d", "--name", name, "--network=host", "-v", volume + ":" + DATA,
          "-e", "MESHWORK_PORT=" + port, "-e", "MESHWORK_HOST=127.0.0.1", "-e", "MESHWORK_OPEN_READS=false", TAG);
      awaitHealth(podman, name, port, uri);
      assertThat(podman.run(Duration.ofMinutes(1), "healthcheck", "run", name).exitCode())
          .as("the image's HEALTHCHECK (java -cp ... HealthCheck inside the container)").isZero();

      Path data = Path.of(podman.ok("volume", "inspect", "--format", "{{.Mountpoint}}", volume));
      String token = Files.readString(data.resolve("admin-token")).strip();
      ApiClient admin = new ApiClient(uri, token);
      ApiClient.Answer registered = admin.post("/api/v1/services/register", "{\"id\":\"inventory-1\","
          + "\"service_name\":\"inventory\",\"namespace\":\"default\",\"ip\":\"127.0.0.1\",\"port\":" + Ports.free()
          + ",\"protocol\":\"http\",\"labels\":{\"version\":\"v1\"}}");
      assertThat(registered.status()).as(registered.body()).isEqualTo(200);
      assertThat(registered.json().get("status").asText()).isEqualTo("registered");
      assertThat(admin.get("/api/v1/services/default/inventory").json().findValuesAsText("id"))
          .containsExactly("inventory-1");
      // MESHWORK_OPEN_READS=false reached the server: reads need the token too.
      assertThat(admin.withToken(null).get("/api/v1/services/default/inventory").status()).isEqualTo(401);

      // mTLS (EC keys, ECDHE) in the image's runtime: the admin identity's certificate alone is admin.
      JsonNode issued = admin.post("/api/v1/certificates/issue",
          "{\"service_name\":\"admin\",\"namespace\":\"meshwork-system\",\"ttl\":\"1h\"}").json();
      TlsProbe probe = new TlsProbe(directory, issued.get("certificate_chain").asText(),
          issued.get("private_key").asText(), issued.get("ca_certificate").asText());
      assertThat(probe.get(port, "/api/v1/bootstrap-tokens")).isEqualTo("HTTP/1.1 200 OK");

      long pid = Long.parseLong(podman.ok("inspect", "--format", "{{.State.Pid}}", name));
      List<String> status = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"));
      assertThat(status).contains("Uid:\t65532\t65532\t65532\t65532", "Gid:\t65532\t65532\t65532\t65532");
      assertThat(Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")))
          .contains("io.meshwork.controlplane.server.Main");
      // The shared libraries copied beside the runtime serve Netty's native code too: BoringSSL and epoll
      // are loaded, not the JDK fallbacks.
      assertThat(Files.readString(Path.of("/proc", Long.toString(pid), "maps")))
          .contains("libnetty_tcnative_linux_", "libnetty_transport_native_epoll_");

      podman.ok("stop", "--time", "30", name);
      Podman.Result logs = podman.run(Duration.ofMinutes(1), "logs", name);
      // The log goes to stdout: the server's own log lines as well as its start-up lines.
      assertThat(logs.stdout()).contains("INFO io.meshwork.controlplane.server.ControlPlaneServer - control plane"
          + " listening on " + uri, "admin token file: " + DATA + "/admin-token", "control plane on port " + port
          + " stopped").doesNotContain(token);
      assertThat(logs.stderr()).doesNotContain("WARN", "ERROR", "Exception");

      Path tokenFile = data.resolve("admin-token");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile))).isEqualTo("rw-------");
      assertThat(Files.getAttribute(tokenFile, "unix:uid")).isEqualTo(65532);
      assertThat(Files.readString(data.resolve("state.json"))).contains("inventory-1");

      // The volume carries the control plane across a restart: the same token, the same registration.
      podman.ok("start", name);
      awaitHealth(podman, name, port, uri);
      assertThat(admin.get("/api/v1/services/default/inventory").json().findValuesAsText("id"))
          .containsExactly("inventory-1");
    } finally {
      podman.run(Duration.ofMinutes(1), "rm", "--force", "--time", "10", name);
      podman.run(Duration.ofMinutes(1), "volume", "rm", "--force", volume);
    }
  }

  /** What the image holds and declares: no shell, user 65532, the port, the volume, the health check. */
  private void checkImage(Podman podman) throws Exception {
    JsonNode config = new ObjectMapper().readTree(podman.ok("image", "inspect", "--format", "{{json .Config}}", TAG));
    assertThat(config.get("User").asText()).isEqualTo("65532:65532");
    assertThat(config.get("ExposedPorts").has("8080/tcp")).isTrue();
    assertThat(config.get("Volumes").has(DATA)).isTrue();
    JsonNode health = new ObjectMapper().readTree(podman.ok("image", "inspect", "--format", "{{json .HealthCheck}}",
        TAG));
    assertThat(health.get("Test").toString()).contains(HealthCheck.class.getName());
    Path root = Path.of(podman.ok("image", "mount", TAG));
    try {
      assertThat(root.resolve("bin/sh")).doesNotExist();
      assertThat(root.resolve("usr/bin")).doesNotExist();
      assertThat(root.resolve("opt/java/bin/java")).isExecutable();
      Path data = root.resolve(DATA.substring(1));
      assertThat(Files.getAttribute(data, "unix:uid")).isEqualTo(65532);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data))).isEqualTo("rwx------");
    } finally {
      podman.run(Duration.ofMinutes(1), "image", "unmount", TAG);
    }
  }

  /** Waits, with a bound, until the container answers {@code GET /health}; fails early if it ended. */
  private static void awaitHealth(Podman podman, String name, int port, URI uri) throws Exception {
    long deadline = System.nanoTime() + START.toNanos();
    while (true) {
      try {
        Ports.awaitListening(port, Duration.ofSeconds(2), "the container " + name);
        break;
      } catch (AssertionError notYet) {
        String state = podman.ok("inspect", "--format", "{{.State.Status}}", name);
        if (!state.equals("running") || System.nanoTime() - deadline > 0) {
          throw new AssertionError("the container " + name + " does not listen on port " + port + " (" + state
              + "); its logs:\n" + podman.run(Duration.ofMinutes(1), "logs", name), notYet);
        }
      }
    }
    ApiClient.Answer health = new ApiClient(uri, null).get("/health");
    assertThat(health.status()).as(health.body()).isEqualTo(200);
    assertThat(health.json().get("status").asText()).isEqualTo("healthy");
  }
}
