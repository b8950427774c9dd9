package io.meshwork.controlplane.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshwork.Mesh;
import io.meshwork.MeshResponse;
import io.meshwork.MeshServer;
import io.meshwork.security.CertificateBundle;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A mesh that brings its own certificates (files, as SPIRE or cert-manager would keep them) follows the
 * control plane's CRL by URL: a certificate revoked there is refused at this mesh's next handshake.
 */
class OwnCertificatesRevocationTest {

  @TempDir
  Path directory;

  private static Path write(Path directory, String name, String content) throws IOException {
    return Files.writeString(directory.resolve(name), content);
  }

  @Test
  void aMeshWithItsOwnCertificatesRefusesWhatTheControlPlanesCrlRevokes() throws Exception {
    try (TestControlPlane controlPlane = new TestControlPlane(directory.resolve("cp"))) {
      ApiClient admin = controlPlane.admin();
      JsonNode own = admin.post("/api/v1/certificates/issue", "{\"service_name\":\"ledger\"}").json();
      Path key = write(directory, "key.pem", own.get("private_key").asText());
      Path chain = write(directory, "chain.pem", own.get("certificate_chain").asText());
      Path ca = write(directory, "ca.pem", own.get("ca_certificate").asText());
      URI crl = controlPlane.server().uri().resolve("/api/v1/certificates/crl");
      try (Mesh ledger = Mesh.builder().service("ledger").certificates(CertificateBundle.load(key, chain, ca))
          .revocationList(crl, Duration.ofMillis(200)).build()) {
        MeshServer server = ledger.serve(0, request -> CompletableFuture.completedFuture(MeshResponse.ok("ledger")));
        JsonNode caller = admin.post("/api/v1/certificates/issue", "{\"service_name\":\"auditor\"}").json();
        TlsProbe auditor = new TlsProbe(directory, caller.get("certificate_chain").asText(),
            caller.get("private_key").asText(), caller.get("ca_certificate").asText());
        assertThat(auditor.get(server.port(), "/entries")).isEqualTo("HTTP/1.1 200 OK");
        admin.delete("/api/v1/certificates/" + caller.get("serial").asText());
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        boolean refused = false;
        while (!refused && System.nanoTime() < deadline) {
          try {
            auditor.get(server.port(), "/entries");
          } catch (IOException e) {
            refused = true;
          }
        }
        assertThat(refused).isTrue();
      }
    }
  }
}
