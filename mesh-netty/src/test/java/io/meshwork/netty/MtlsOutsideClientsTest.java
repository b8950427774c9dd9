package io.meshwork.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.Mesh;
import io.meshwork.MeshResponse;
import io.meshwork.MeshServer;
import io.meshwork.netty.testing.Binaries;
import io.meshwork.netty.testing.ChildProcess;
import io.meshwork.netty.testing.PemBundle;
import io.meshwork.registry.InMemoryServiceRegistry;
import io.meshwork.security.CertificateAuthority;
import io.meshwork.security.IssuedCertificate;
import io.meshwork.security.MtlsMode;
import io.meshwork.security.WorkloadIdentity;
import io.meshwork.time.FakeTicker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real {@code curl} and {@code openssl s_client} against {@code mesh.serve} with mutual TLS: a STRICT
 * server (on BoringSSL and on the JDK provider) refuses a caller without a certificate, with one of
 * a foreign CA, an expired one and a revoked one, and serves a valid one, whose SPIFFE ID the
 * handler sees; a PERMISSIVE server serves plaintext and mTLS callers on one port.
 */
class MtlsOutsideClientsTest {

  private static final WorkloadIdentity ORDERS = WorkloadIdentity.of("cluster.local", "default", "order-service");

  @TempDir
  static Path dir;
  private static final List<AutoCloseable> closing = new ArrayList<>();
  private static PemBundle valid;
  private static PemBundle foreign;
  private static PemBundle expired;
  private static PemBundle revoked;
  private static int strictOpenSsl;
  private static int strictJdk;
  private static int permissive;

  @BeforeAll
  static void serve() throws Exception {
    Binaries.curl();
    Binaries.openssl();
    // The CA's clock starts two days ago, long enough to issue a certificate that is expired now.
    FakeTicker caTime = new FakeTicker(Instant.now().minus(Duration.ofDays(2)));
    CertificateAuthority authority = CertificateAuthority.create("cluster.local", caTime.clock());
    IssuedCertificate old = authority.issue(ORDERS, Duration.ofHours(1));
    caTime.advance(Duration.ofDays(2));
    expired = PemBundle.write(dir, "expired", old, authority);
    valid = PemBundle.write(dir, "valid", authority.issue(ORDERS), authority);
    IssuedCertificate withdrawn = authority.issue(ORDERS);
    authority.revoke(withdrawn.serial());
    revoked = PemBundle.write(dir, "revoked", withdrawn, authority);
    foreign = PemBundle.write(dir, "foreign", CertificateAuthority.create("cluster.local").issue(ORDERS), authority);

    strictOpenSsl = serve(authority, MtlsMode.STRICT, true);
    strictJdk = serve(authority, MtlsMode.STRICT, false);
    permissive = serve(authority, MtlsMode.PERMISSIVE, true);
  }

  private static int serve(CertificateAuthority authority, MtlsMode mode, boolean openSsl) {
    NettyTransport transport = NettyTransport.builder().eventLoopThreads(1).openSsl(openSsl)
        .shutdownGrace(Duration.ofSeconds(1)).build();
    closing.add(transport);
    Mesh mesh = Mesh.builder().service("user-service").registry(new InMemoryServiceRegistry()).transport(transport)
        .certificateAuthority(authority).mtls(mode).shutdownGrace(Duration.ofSeconds(1)).build();
    closing.add(mesh);
    MeshServer server = mesh.serve(0, request -> CompletableFuture.completedFuture(MeshResponse.ok(
        "caller " + request.peerIdentity().map(WorkloadIdentity::spiffeId).orElse("unknown") + "\n")));
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
  void strictServesAValidCertificateAndTheHandlerSeesItsIdentity(boolean openSsl) throws Exception {
    int port = openSsl ? strictOpenSsl : strictJdk;
    ChildProcess.Result http1 = curl(port, valid, "--http1.1");
    assertThat(http1.exitCode()).as("curl: %s", http1.text()).isZero();
    assertThat(http1.text()).startsWith("HTTP/1.1 200").endsWith("caller " + ORDERS.spiffeId() + "\n");

    ChildProcess.Result http2 = curl(port, valid, "--http2");
    assertThat(http2.exitCode()).as("curl: %s", http2.text()).isZero();
    assertThat(http2.text()).as("ALPN chose h2").startsWith("HTTP/2 200")
        .endsWith("caller " + ORDERS.spiffeId() + "\n");
  }

  @ParameterizedTest(name = "OpenSSL server {0}")
  @ValueSource(booleans = {true, false})
  void strictRefusesACallerWithoutACertificate(boolean openSsl) throws Exception {
    assertRefused(curl(openSsl ? strictOpenSsl : strictJdk, null));
  }

  @ParameterizedTest(name = "OpenSSL server {0}")
  @ValueSource(booleans = {true, false})
  void strictRefusesACertificateOfAForeignAuthority(boolean openSsl) throws Exception {
    assertRefused(curl(openSsl ? strictOpenSsl : strictJdk, foreign));
  }

  @ParameterizedTest(name = "OpenSSL server {0}")
  @ValueSource(booleans = {true, false})
  void strictRefusesAnExpiredCertificate(boolean openSsl) throws Exception {
    assertRefused(curl(openSsl ? strictOpenSsl : strictJdk, expired));
  }

  @ParameterizedTest(name = "OpenSSL server {0}")
  @ValueSource(booleans = {true, false})
  void strictRefusesARevokedCertificate(boolean openSsl) throws Exception {
    assertRefused(curl(openSsl ? strictOpenSsl : strictJdk, revoked));
  }

  @Test
  void strictAnswersPlaintextWithA400SayingMutualTlsIsRequired() throws Exception {
    ChildProcess.Result plain = run(List.of(Binaries.curl().toString(), "-sS", "-i", "--max-time", "10",
        "http://127.0.0.1:" + strictOpenSsl + "/"));
    assertThat(plain.text()).startsWith("HTTP/1.1 400").contains("this server requires mutual TLS")
        .doesNotContain("caller");
  }

  @ParameterizedTest(name = "OpenSSL server {0}")
  @ValueSource(booleans = {true, false})
  void theAlertTellsTheCallerWhyItWasRefused(boolean openSsl) throws Exception {
    int port = openSsl ? strictOpenSsl : strictJdk;
    // No request is sent, so nothing unread makes the server's close reset the connection: the
    // alert always arrives. The JDK names fewer reasons than BoringSSL, and its missing-certificate
    // alert changed within 17: bad_certificate up to 17.0.15, certificate_required in 17.0.21.
    if (openSsl) {
      assertThat(alert(port, null)).contains("alert certificate required");
    } else {
      assertThat(alert(port, null)).containsAnyOf("alert bad certificate", "alert certificate required");
    }
    assertThat(alert(port, foreign)).contains(openSsl ? "alert unknown ca" : "alert certificate unknown");
    assertThat(alert(port, expired)).contains(openSsl ? "alert certificate expired" : "alert certificate");
    assertThat(alert(port, revoked)).contains(openSsl ? "alert certificate revoked" : "alert certificate");
  }

  @Test
  void tls12IsServedAndARevokedCertificateRefusedDuringIt() throws Exception {
    ChildProcess.Result served = curl(strictOpenSsl, valid, "--tlsv1.2", "--tls-max", "1.2");
    assertThat(served.text()).startsWith("HTTP/2 200").endsWith("caller " + ORDERS.spiffeId() + "\n");
    // TLS 1.2 checks the client's certificate before the handshake ends: the refusal is reliable.
    ChildProcess.Result refused = curl(strictOpenSsl, revoked, "--tlsv1.2", "--tls-max", "1.2");
    assertRefused(refused);
    assertThat(refused.text()).contains("alert certificate revoked");
  }

  @Test
  void opensslClientVerifiesTheServerAndNegotiatesH2() throws Exception {
    Path request = Files.writeString(dir.resolve("request.txt"),
        "GET /users/1 HTTP/1.1\r\nHost: user-service\r\nConnection: close\r\n\r\n");
    ChildProcess.Result served = ChildProcess.run(dir, Duration.ofSeconds(30),
        sClient(strictOpenSsl, valid, "http/1.1", "-ign_eof"), request);
    assertThat(served.text()).as("s_client").contains("Verify return code: 0 (ok)").contains("ALPN protocol: http/1.1")
        .contains("HTTP/1.1 200").contains("caller " + ORDERS.spiffeId());

    ChildProcess.Result h2 = ChildProcess.run(dir, Duration.ofSeconds(30),
        sClient(strictOpenSsl, valid, "h2,http/1.1"));
    assertThat(h2.text()).as("s_client").contains("ALPN protocol: h2").contains("Verify return code: 0 (ok)");

    ChildProcess.Result refused = ChildProcess.run(dir, Duration.ofSeconds(30),
        sClient(strictOpenSsl, revoked, "http/1.1", "-ign_eof"), request);
    assertThat(refused.text()).as("s_client").contains("alert certificate revoked").doesNotContain("HTTP/1.1 200");
  }

  @Test
  void permissiveServesPlaintextAndMtlsAndOnlyMtlsCallersHaveAnIdentity() throws Exception {
    ChildProcess.Result plain = run(List.of(Binaries.curl().toString(), "-sS", "-i", "--max-time", "10",
        "http://127.0.0.1:" + permissive + "/"));
    assertThat(plain.text()).startsWith("HTTP/1.1 200").endsWith("caller unknown\n");

    ChildProcess.Result h2c = run(List.of(Binaries.curl().toString(), "-sS", "-i", "--max-time", "10",
        "--http2-prior-knowledge", "http://127.0.0.1:" + permissive + "/"));
    assertThat(h2c.text()).startsWith("HTTP/2 200").endsWith("caller unknown\n");

    ChildProcess.Result mtls = curl(permissive, valid, "--http2");
    assertThat(mtls.text()).startsWith("HTTP/2 200").endsWith("caller " + ORDERS.spiffeId() + "\n");

    assertRefused(curl(permissive, null));
  }

  /**
   * Refused at the handshake. Which alert curl reports is left to the s_client test: with TLS 1.3
   * curl sends its request right after its side of the handshake, and the server closing on that
   * unread request may reset the connection before curl reads the alert.
   */
  private static void assertRefused(ChildProcess.Result result) {
    assertThat(result.exitCode()).as("curl exit code; output:\n%s", result.text()).isNotZero();
    assertThat(result.text()).doesNotContain("HTTP/").doesNotContain("caller");
  }

  /** curl with {@code client}'s certificate (none when null), verifying the server by its DNS name. */
  private static ChildProcess.Result curl(int port, PemBundle client, String... options) throws Exception {
    List<String> command = new ArrayList<>(List.of(Binaries.curl().toString(), "-sS", "-i", "--max-time", "10",
        "--cacert", (client == null ? valid : client).trustedRoot().toString(),
        "--resolve", "user-service:" + port + ":127.0.0.1"));
    if (client != null) {
      command.addAll(List.of("--cert", client.certificate().toString(), "--key", client.key().toString()));
    }
    command.addAll(List.of(options));
    command.add("https://user-service:" + port + "/users/1");
    return run(command);
  }

  /** What {@code openssl s_client} prints when it presents {@code client} (none when null) and sends nothing. */
  private static String alert(int port, PemBundle client) throws Exception {
    List<String> command = new ArrayList<>(List.of(Binaries.openssl().toString(), "s_client",
        "-connect", "127.0.0.1:" + port, "-CAfile", valid.trustedRoot().toString(), "-ign_eof"));
    if (client != null) {
      command.addAll(List.of("-cert", client.certificate().toString(), "-key", client.key().toString()));
    }
    return run(command).text();
  }

  private static List<String> sClient(int port, PemBundle client, String alpn, String... options) {
    List<String> command = new ArrayList<>(List.of(Binaries.openssl().toString(), "s_client",
        "-connect", "127.0.0.1:" + port, "-servername", "user-service", "-verify_return_error",
        "-CAfile", client.trustedRoot().toString(), "-cert", client.certificate().toString(),
        "-key", client.key().toString(), "-alpn", alpn));
    command.addAll(List.of(options));
    return command;
  }

  private static ChildProcess.Result run(List<String> command) throws Exception {
    return ChildProcess.run(dir, Duration.ofSeconds(30), command);
  }
}
