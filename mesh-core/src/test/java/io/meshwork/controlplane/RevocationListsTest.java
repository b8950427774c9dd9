package io.meshwork.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.meshwork.InvalidConfigurationException;
import io.meshwork.security.CertificateAuthority;
import io.meshwork.security.InvalidCertificateException;
import io.meshwork.security.IssuedCertificate;
import io.meshwork.security.WorkloadIdentity;
import io.meshwork.time.FakeTicker;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Revocation lists: verified against the anchors, and reloaded from a file or a URL as they change. */
class RevocationListsTest {

  private static final WorkloadIdentity ORDERS = WorkloadIdentity.of("cluster.local", "prod", "orders");

  @TempDir
  Path directory;

  private final CertificateAuthority authority = CertificateAuthority.create("cluster.local");

  @Test
  void aListSignedByAnAnchorRevokesItsSerials() {
    IssuedCertificate revoked = authority.issue(ORDERS);
    IssuedCertificate kept = authority.issue(ORDERS);
    authority.revoke(revoked.serial());
    CertificateRevocationList list = CertificateRevocationList.parse(authority.crlPem(),
        List.of(authority.rootCertificate()), "test");
    assertThat(list.isRevoked(revoked.serial())).isTrue();
    assertThat(list.isRevoked(kept.serial())).isFalse();
    assertThat(list.isRevoked(null)).isFalse();
  }

  @Test
  void aListOfAnotherAuthorityOrNoListAtAllIsRefusedNamingItsSource() {
    CertificateAuthority other = CertificateAuthority.create("cluster.local");
    assertThatThrownBy(() -> CertificateRevocationList.parse(other.crlPem(), List.of(authority.rootCertificate()),
        "the test's list")).isInstanceOf(InvalidCertificateException.class)
        .hasMessageContaining("the test's list").hasMessageContaining("verify");
    assertThatThrownBy(() -> CertificateRevocationList.parse("hello", List.of(authority.rootCertificate()), "x.pem"))
        .isInstanceOf(InvalidCertificateException.class).hasMessageContaining("x.pem: no '-----BEGIN X509 CRL-----'");
  }

  @Test
  void aFileIsReadAgainWhenItChanges() throws Exception {
    Path file = directory.resolve("crl.pem");
    Files.writeString(file, authority.crlPem());
    FakeTicker ticker = new FakeTicker();
    IssuedCertificate certificate = authority.issue(ORDERS);
    try (RevocationListReloader reloader = new RevocationListReloader(file.toUri(), Duration.ofSeconds(30),
        List.of(authority.rootCertificate()), ticker)) {
      assertThat(reloader.isRevoked(certificate.serial())).isFalse();
      authority.revoke(certificate.serial());
      Files.writeString(file, authority.crlPem());
      Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
      ticker.advance(Duration.ofSeconds(29));
      assertThat(reloader.isRevoked(certificate.serial())).as("not read before the refresh").isFalse();
      ticker.advance(Duration.ofSeconds(1));
      assertThat(reloader.isRevoked(certificate.serial())).isTrue();
      Files.writeString(file, "broken");
      Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(10)));
      ticker.advance(Duration.ofSeconds(30));
      assertThat(reloader.isRevoked(certificate.serial())).as("a broken file keeps the last good list").isTrue();
    }
  }

  @Test
  void aFileThatCannotBeUsedAtStartIsAConfigurationError() {
    Path missing = directory.resolve("missing.pem");
    assertThatThrownBy(() -> new RevocationListReloader(missing.toUri(), Duration.ofSeconds(1),
        List.of(authority.rootCertificate()), new FakeTicker())).isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("revocationList: cannot use " + missing);
    assertThatThrownBy(() -> new RevocationListReloader(URI.create("ftp://127.0.0.1/crl"), Duration.ofSeconds(1),
        List.of(authority.rootCertificate()), new FakeTicker())).hasMessageContaining("expected: a file:, http: or https: URI");
  }

  @Test
  void aUrlIsFetchedAgainEveryRefresh() throws Exception {
    AtomicReference<String> served = new AtomicReference<>(authority.crlPem());
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/crl", exchange -> {
      byte[] body = served.get().getBytes(StandardCharsets.US_ASCII);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    FakeTicker ticker = new FakeTicker();
    IssuedCertificate certificate = authority.issue(ORDERS);
    try (RevocationListReloader reloader = new RevocationListReloader(
        URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/crl"), Duration.ofSeconds(10),
        List.of(authority.rootCertificate()), ticker)) {
      authority.revoke(certificate.serial());
      served.set(authority.crlPem());
      ticker.advance(Duration.ofSeconds(10));
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (!reloader.isRevoked(certificate.serial()) && System.nanoTime() < deadline) {
        Thread.onSpinWait(); // the fetch is asynchronous: wait for its answer, with a bound
      }
      assertThat(reloader.isRevoked(certificate.serial())).isTrue();
    } finally {
      server.stop(0);
    }
  }
}
