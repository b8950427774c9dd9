package io.meshwork.controlplane.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.netty.testing.ChildProcess;
import io.meshwork.netty.testing.Ports;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line, run as its own process: the admin token file, what is printed, what is refused. */
class MainTest {

  private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");

  @TempDir
  Path directory;

  @Test
  void makesTheAdminTokenFileOwnerOnlyAndPrintsItsPathButNeverTheToken() throws Exception {
    Path tokenFile = directory.resolve("secrets/admin-token");
    try (FleetProcess controller = FleetProcess.start(directory, "controller", Main.class, List.of("--port",
        Integer.toString(Ports.free()), "--data-dir", directory.resolve("data").toString(), "--admin-token-file",
        tokenFile.toString()))) {
      URI uri = URI.create(controller.await(LISTENING, Duration.ofSeconds(90)));
      String token = Files.readString(tokenFile).strip();
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile))).isEqualTo("rw-------");
      String output = controller.await(Pattern.compile("(admin token file: .*)"), Duration.ofSeconds(10));
      assertThat(output).isEqualTo("admin token file: " + tokenFile.toAbsolutePath());
      assertThat(controller.process.output()).contains("CA fingerprint (SHA-256): ").doesNotContain(token);
      assertThat(new ApiClient(uri, token).get("/api/v1/bootstrap-tokens").status()).isEqualTo(200);
    }
  }

  @Test
  void readsAnExistingTokenFile() throws Exception {
    Path tokenFile = directory.resolve("token");
    Files.createFile(tokenFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(tokenFile, "an-operators-own-admin-token\n");
    try (FleetProcess controller = FleetProcess.start(directory, "controller", Main.class, List.of("--port", "0",
        "--data-dir", directory.resolve("data").toString(), "--admin-token-file", tokenFile.toString()))) {
      URI uri = URI.create(controller.await(LISTENING, Duration.ofSeconds(90)));
      assertThat(new ApiClient(uri, "an-operators-own-admin-token").get("/api/v1/bootstrap-tokens").status())
          .isEqualTo(200);
      assertThat(new ApiClient(uri, "another-token-entirely").get("/api/v1/bootstrap-tokens").status()).isEqualTo(401);
    }
  }

  @Test
  void refusesATokenFileOthersCanRead() throws Exception {
    Path tokenFile = directory.resolve("token");
    Files.writeString(tokenFile, "an-operators-own-admin-token\n");
    Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-r--r--"));
    ChildProcess.Result result = ChildProcess.run(directory, Duration.ofSeconds(90), List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", System.getProperty("java.class.path"),
        Main.class.getName(), "--port", "0", "--data-dir", directory.resolve("data").toString(),
        "--admin-token-file", tokenFile.toString()));
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.text()).contains("readable by others", "chmod 600 " + tokenFile);
  }

  @Test
  void refusesBadOptionsNamingThem() {
    assertThatThrownBy(() -> Main.parse(new String[] {"--port", "eighty"}))
        .hasMessage("--port: 'eighty' (expected: a whole number)");
    assertThatThrownBy(() -> Main.parse(new String[] {"--colour", "red"})).hasMessage("--colour: unknown option");
    assertThatThrownBy(() -> Main.parse(new String[] {"--etcd"})).hasMessageContaining("--etcd: no value");
    assertThatThrownBy(() -> Main.parse(new String[] {"--etcd", "127.0.0.1:2379"})).hasMessageContaining("etcd");
    assertThatThrownBy(() -> Main.parse(new String[] {"--port", "70000"})).hasMessageContaining("port: 70000");
    assertThatThrownBy(() -> Main.parse(new String[] {"--health-check-interval", "often"}))
        .hasMessageContaining("--health-check-interval");
    ControlPlaneSettings settings = Main.parse(new String[] {"--port", "9090", "--host", "127.0.0.2", "--etcd",
        "http://127.0.0.1:2379,http://127.0.0.1:2381", "--trust-domain", "example.org", "--open-reads",
        "--admin-identity", "spiffe://example.org/ns/ops/sa/admin"}).settings();
    assertThat(settings.port()).isEqualTo(9090);
    assertThat(settings.etcd()).hasSize(2);
    assertThat(settings.trustDomain()).isEqualTo("example.org");
    assertThat(settings.openReads()).isTrue();
    assertThat(settings.adminIdentities()).containsExactly("spiffe://example.org/ns/ops/sa/admin");
    assertThat(settings.tokenFile()).isEqualTo(Path.of("meshwork-controlplane", "admin-token"));
  }
}
