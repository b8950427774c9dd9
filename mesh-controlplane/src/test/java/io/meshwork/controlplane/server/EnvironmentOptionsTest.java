package io.meshwork.controlplane.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The MESHWORK_* variables: each sets its option, a flag wins over it, a bad value names the variable. */
class EnvironmentOptionsTest {

  private static final Map<String, String> EVERY_VARIABLE = Map.ofEntries(
      Map.entry("MESHWORK_PORT", "9090"),
      Map.entry("MESHWORK_HOST", "0.0.0.0"),
      Map.entry("MESHWORK_DATA_DIR", "/var/lib/meshwork"),
      Map.entry("MESHWORK_ADMIN_TOKEN_FILE", "/run/secrets/admin-token"),
      Map.entry("MESHWORK_ETCD_ENDPOINTS", "http://10.0.0.1:2379, http://10.0.0.2:2379"),
      Map.entry("MESHWORK_ETCD_PREFIX", "/fleet/"),
      Map.entry("MESHWORK_ETCD_LEASE_TTL", "20s"),
      Map.entry("MESHWORK_TRUST_DOMAIN", "example.org"),
      Map.entry("MESHWORK_ADMIN_IDENTITIES", "spiffe://example.org/ns/ops/sa/alice,spiffe://example.org/ns/ops/sa/bob"),
      Map.entry("MESHWORK_OPEN_READS", "true"),
      Map.entry("MESHWORK_TLS", "false"),
      Map.entry("MESHWORK_MAX_BODY_BYTES", "2048"),
      Map.entry("MESHWORK_MAX_CERTIFICATE_TTL", "12h"),
      Map.entry("MESHWORK_HEALTH_CHECK_INTERVAL", "2s"));

  @Test
  void everyVariableSetsItsOption() {
    assertThat(EVERY_VARIABLE.keySet()).containsExactlyInAnyOrderElementsOf(EnvironmentOptions.FLAGS.keySet());
    ControlPlaneSettings settings = Main.parse(EVERY_VARIABLE, new String[0]).settings();
    assertThat(settings.port()).isEqualTo(9090);
    assertThat(settings.host()).isEqualTo("0.0.0.0");
    assertThat(settings.dataDirectory()).isEqualTo(Path.of("/var/lib/meshwork"));
    assertThat(settings.tokenFile()).isEqualTo(Path.of("/run/secrets/admin-token"));
    assertThat(settings.etcd()).containsExactly(URI.create("http://10.0.0.1:2379"), URI.create("http://10.0.0.2:2379"));
    assertThat(settings.etcdPrefix()).isEqualTo("/fleet/");
    assertThat(settings.etcdLeaseTtl()).isEqualTo(Duration.ofSeconds(20));
    assertThat(settings.trustDomain()).isEqualTo("example.org");
    assertThat(settings.adminIdentities())
        .containsExactlyInAnyOrder("spiffe://example.org/ns/ops/sa/alice", "spiffe://example.org/ns/ops/sa/bob");
    assertThat(settings.openReads()).isTrue();
    assertThat(settings.tls()).isFalse();
    assertThat(settings.maxBodyBytes()).isEqualTo(2048);
    assertThat(settings.maxCertificateTtl()).isEqualTo(Duration.ofHours(12));
    assertThat(settings.healthCheckInterval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(Main.usage()).contains(EnvironmentOptions.FLAGS.keySet());
  }

  @Test
  void flagsWinOverTheirVariables() {
    ControlPlaneSettings settings = Main.parse(EVERY_VARIABLE, new String[] {"--port", "7070", "--host", "127.0.0.2",
        "--admin-identity", "spiffe://example.org/ns/ops/sa/carol", "--etcd-lease-ttl", "30s"}).settings();
    assertThat(settings.port()).isEqualTo(7070);
    assertThat(settings.host()).isEqualTo("127.0.0.2");
    assertThat(settings.etcdLeaseTtl()).isEqualTo(Duration.ofSeconds(30));
    // the flags' identities replace the variable's list rather than adding to it
    assertThat(settings.adminIdentities()).containsExactly("spiffe://example.org/ns/ops/sa/carol");
    assertThat(settings.trustDomain()).isEqualTo("example.org");
    assertThat(Main.parse(Map.of("MESHWORK_TLS", "true"), new String[] {"--no-tls"}).settings().tls()).isFalse();
    assertThat(Main.parse(Map.of("MESHWORK_OPEN_READS", "false"), new String[] {"--open-reads"}).settings().openReads())
        .isTrue();
  }

  @Test
  void emptyVariablesAndOtherNamesLeaveTheDefaults() {
    // Kubernetes adds <SERVICE>_PORT=tcp://... for a Service named meshwork-controlplane; meshes read
    // MESHWORK_BOOTSTRAP_TOKEN: neither is an option of the control plane.
    ControlPlaneSettings settings = Main.parse(Map.of("MESHWORK_PORT", "", "MESHWORK_ETCD_ENDPOINTS", " ",
        "MESHWORK_CONTROLPLANE_PORT", "tcp://10.96.0.12:8080", "MESHWORK_BOOTSTRAP_TOKEN", "x"), new String[0])
        .settings();
    assertThat(settings.port()).isEqualTo(8080);
    assertThat(settings.etcd()).isEmpty();
    assertThat(settings.tls()).isTrue();
    assertThat(settings.openReads()).isNull();
  }

  @Test
  void badValuesNameTheVariableTheValueAndWhatWasExpected() {
    assertThatThrownBy(() -> Main.parse(Map.of("MESHWORK_PORT", "eighty"), new String[0]))
        .hasMessage("MESHWORK_PORT: 'eighty' (expected: a whole number)");
    assertThatThrownBy(() -> Main.parse(Map.of("MESHWORK_PORT", "70000"), new String[0]))
        .hasMessage("MESHWORK_PORT=70000: port: 70000 (expected: 0..65535)");
    assertThatThrownBy(() -> Main.parse(Map.of("MESHWORK_OPEN_READS", "yes"), new String[0]))
        .hasMessage("MESHWORK_OPEN_READS: 'yes' (expected: true or false)");
    assertThatThrownBy(() -> Main.parse(Map.of("MESHWORK_ETCD_ENDPOINTS", "10.0.0.1:2379"), new String[0]))
        .hasMessageStartingWith("MESHWORK_ETCD_ENDPOINTS: '10.0.0.1:2379' (expected: http://host:port");
    assertThatThrownBy(() -> Main.parse(Map.of("MESHWORK_ETCD_ENDPOINTS", "ftp://10.0.0.1:2379"), new String[0]))
        .hasMessageStartingWith("MESHWORK_ETCD_ENDPOINTS=ftp://10.0.0.1:2379: etcd: 'ftp://10.0.0.1:2379'");
    assertThatThrownBy(() -> Main.parse(Map.of("MESHWORK_ETCD_LEASE_TTL", "soon"), new String[0]))
        .hasMessageContaining("MESHWORK_ETCD_LEASE_TTL").hasMessageContaining("soon");
    assertThatThrownBy(() -> Main.parse(Map.of("MESHWORK_ADMIN_IDENTITIES", "spiffe://example.org/ns/ops/sa/a,alice"),
        new String[0])).hasMessageStartingWith("MESHWORK_ADMIN_IDENTITIES=alice: spiffeId: 'alice'");
    // a bad variable fails even when a flag would set the option: a typo is not silently outvoted
    assertThatThrownBy(() -> Main.parse(Map.of("MESHWORK_PORT", "eighty"), new String[] {"--port", "80"}))
        .hasMessageContaining("MESHWORK_PORT");
    assertThatThrownBy(() -> Main.parse(Map.of(), new String[] {"--tls", "true"})).hasMessage("--tls: unknown option");
  }
}
