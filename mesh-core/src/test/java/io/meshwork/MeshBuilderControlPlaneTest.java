package io.meshwork;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.registry.InMemoryServiceRegistry;
import io.meshwork.security.CertificateAuthority;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What MeshBuilder checks of controlPlane(...) and revocationList(...) before it joins anything. */
class MeshBuilderControlPlaneTest {

  private static final URI CONTROL_PLANE = URI.create("http://127.0.0.1:8080");

  @Test
  void aControlPlaneNeedsAnHttpUriAndAToken() {
    assertThatThrownBy(() -> Mesh.builder().controlPlane(URI.create("ftp://127.0.0.1"), "t"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("controlPlane: 'ftp://127.0.0.1' (expected: http://<host>:<port>)");
    assertThatThrownBy(() -> Mesh.builder().controlPlane(CONTROL_PLANE, " "))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("controlPlane token: empty");
  }

  @Test
  void aControlPlaneExcludesAnotherRegistryOrCertificateSource() {
    assertThatThrownBy(() -> Mesh.builder().service("a").controlPlane(CONTROL_PLANE, "t")
        .registry(new InMemoryServiceRegistry()).build()).isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("controlPlane and registry are both set");
    assertThatThrownBy(() -> Mesh.builder().service("a").controlPlane(CONTROL_PLANE, "t")
        .certificateAuthority(CertificateAuthority.create("cluster.local")).build())
        .hasMessageContaining("controlPlane and certificateAuthority are both set");
  }

  @Test
  void aControlPlaneNeedsAServiceForTheCertificatesIdentity() {
    assertThatThrownBy(() -> Mesh.builder().controlPlane(CONTROL_PLANE, "t").build())
        .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("expected: MeshBuilder.service");
  }

  @Test
  void withoutMeshFleetOnTheClassPathTheBuildSaysWhatIsMissing() {
    assertThatThrownBy(() -> Mesh.builder().service("a").controlPlane(CONTROL_PLANE, "t").build())
        .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("io.meshwork:mesh-fleet");
  }

  @Test
  void aRevocationListGoesWithOwnCertificates() {
    assertThatThrownBy(() -> Mesh.builder().revocationList(URI.create("file:///tmp/crl.pem"), Duration.ZERO))
        .hasMessage("revocationList refresh: PT0S (expected: > 0)");
    assertThatThrownBy(() -> Mesh.builder().service("a").revocationList(URI.create("file:///tmp/crl.pem")).build())
        .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("revocationList is set without certificates");
  }
}
