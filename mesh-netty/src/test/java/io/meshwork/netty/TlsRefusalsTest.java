package io.meshwork.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.Mesh;
import io.meshwork.MeshResponse;
import io.meshwork.MeshServer;
import io.meshwork.netty.testing.Binaries;
import io.meshwork.netty.testing.ChildProcess;
import io.meshwork.netty.testing.CraftedCertificates;
import io.meshwork.netty.testing.JdkTlsClient;
import io.meshwork.netty.testing.PemBundle;
import io.meshwork.registry.InMemoryServiceRegistry;
import io.meshwork.security.CertificateAuthority;
import io.meshwork.security.WorkloadIdentity;
import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a STRICT server refuses on both SSL providers, whatever the client tries: renegotiating a
 * TLS 1.2 session, TLS 1.0 and 1.1, a CA certificate or a certificate not made for signing
 * presented as a workload's, and one without a SPIFFE ID. (Foreign, expired and revoked
 * certificates: MtlsOutsideClientsTest.)
 */
class TlsRefusalsTest {

  private static final WorkloadIdentity ORDERS = WorkloadIdentity.of("cluster.local", "default", "order-service");

  @org.junit.jupiter.api.io.TempDir
  static Path dir;
  private static final CertificateAuthority authority = CertificateAuthority.create("cluster.local");
  private static final List<AutoCloseable> closing = new ArrayList<>();
  private static int openSslPort;
  private static int jdkPort;

  @BeforeAll
  static void serve() {
    openSslPort = serve(true);
    jdkPort = serve(false);
  }

  private static int serve(boolean openSsl) {
    NettyTransport transport = NettyTransport.builder().eventLoopThreads(1).openSsl(openSsl)
        .shutdownGrace(Duration.ofSeconds(1)).build();
    closing.add(transport);
    Mesh mesh = Mesh.builder().service("user-service").registry(new InMemoryServiceRegistry()).transport(transport)
        .certificateAuthority(authority).shutdownGrace(Duration.ofSeconds(1)).build();
    closing.add(mesh);
    MeshServer server = mesh.serve(0, request -> CompletableFuture.completedFuture(MeshResponse.ok("served")));
    return server.port();
  }

  @AfterAll
  static void stop() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
  }

  @ParameterizedTest(name = "OpenSSL server {0}")
  @ValueSource(booleans = {true, false})
  void aClientInitiatedRenegotiationEndsTheConnection(boolean openSsl) throws Exception {
    try (JdkTlsClient client = JdkTlsClient.connect(port(openSsl), authority.issue(ORDERS),
        authority.rootCertificate(), "TLSv1.2")) {
      assertThat(client.get("/")).isEqualTo("HTTP/1.1 200 served");
      client.renegotiate();
      assertThatThrownBy(() -> client.get("/")).as("a request after the renegotiation")
          .isInstanceOf(IOException.class);
    }
  }

  @ParameterizedTest(name = "OpenSSL server {0}")
  @ValueSource(booleans = {true, false})
  void tls10And11AreRefused(boolean openSsl) throws Exception {
    PemBundle valid = PemBundle.write(dir, "valid-" + openSsl, authority.issue(ORDERS), authority);
    for (String version : List.of("-tls1", "-tls1_1")) {
      ChildProcess.Result result = ChildProcess.run(dir, Duration.ofSeconds(30), List.of(
          Binaries.openssl().toString(), "s_client", "-connect", "127.0.0.1:" + port(openSsl), version,
          "-cipher", "DEFAULT@SECLEVEL=0", "-cert", valid.certificate().toString(), "-key", valid.key().toString(),
          "-CAfile", valid.trustedRoot().toString()));
      assertThat(result.text()).as("s_client %s", version).contains("alert protocol version")
          .contains("no peer certificate available");
    }
  }

  @ParameterizedTest(name = "OpenSSL server {0}")
  @ValueSource(booleans = {true, false})
  void aCaCertificateOrOneNotForSigningIsRefusedAsAClientCertificate(boolean openSsl) throws Exception {
    CraftedCertificates crafted = CraftedCertificates.of(authority, dir.resolve("ca-" + openSsl));
    assertRefused(openSsl, crafted, true, KeyUsage.digitalSignature | KeyUsage.keyCertSign);
    assertRefused(openSsl, crafted, false, KeyUsage.keyCertSign);
    assertRefused(openSsl, crafted, false, KeyUsage.keyAgreement);
  }

  @ParameterizedTest(name = "OpenSSL server {0}")
  @ValueSource(booleans = {true, false})
  void aClientCertificateWithoutAUriSanIsRefused(boolean openSsl) throws Exception {
    KeyPair keys = CraftedCertificates.keyPair();
    X509Certificate dnsOnly = CraftedCertificates.of(authority, dir.resolve("san-" + openSsl))
        .leaf(null, keys, false, KeyUsage.digitalSignature);
    assertThatThrownBy(() -> {
      try (JdkTlsClient client = JdkTlsClient.connect(port(openSsl), keys.getPrivate(), List.of(dnsOnly),
          authority.rootCertificate(), "TLSv1.3")) {
        client.get("/");
      }
    }).isInstanceOf(IOException.class);
  }

  private static void assertRefused(boolean openSsl, CraftedCertificates crafted, boolean ca, int keyUsage)
      throws Exception {
    KeyPair keys = CraftedCertificates.keyPair();
    X509Certificate leaf = crafted.leaf(ORDERS, keys, ca, keyUsage);
    assertThatThrownBy(() -> {
      try (JdkTlsClient client = JdkTlsClient.connect(port(openSsl), keys.getPrivate(), List.of(leaf),
          authority.rootCertificate(), "TLSv1.2")) {
        client.get("/");
      }
    }).as("CA %s, key usage %s", ca, keyUsage).isInstanceOf(IOException.class);
  }

  private static int port(boolean openSsl) {
    return openSsl ? openSslPort : jdkPort;
  }
}
