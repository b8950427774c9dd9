package io.meshwork.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a certificate authority issues and refuses, read back through the JDK's X.509 parser. */
class CertificateAuthorityTest {

  private static final Instant NOW = Instant.parse("2030-06-01T12:00:00Z");
  private static final WorkloadIdentity API = WorkloadIdentity.of("cluster.local", "prod", "api");
  private static CertificateAuthority ca;

  @BeforeAll
  static void createAuthority() {
    ca = CertificateAuthority.create("cluster.local", Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @Test
  void leafCarriesTheIdentityAndDnsNames() throws Exception {
    X509Certificate leaf = ca.issue(API, Duration.ofHours(2)).certificate();

    assertThat(SpiffeIds.identityOf(leaf)).contains(API);
    assertThat(leaf.getSubjectAlternativeNames()).containsExactly(
        List.of(6, "spiffe://cluster.local/ns/prod/sa/api"),
        List.of(2, "api"),
        List.of(2, "api.prod.svc.cluster.local"));
  }

  @Test
  void leafIsAnEndEntityForTlsClientsAndServers() throws Exception {
    X509Certificate leaf = ca.issue(API, Duration.ofHours(2)).certificate();

    assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
    assertThat(leaf.getCriticalExtensionOIDs()).contains("2.5.29.19", "2.5.29.15");
    assertThat(leaf.getKeyUsage()[0]).as("digitalSignature").isTrue();
    assertThat(leaf.getKeyUsage()[2]).as("keyEncipherment").isFalse();
    assertThat(leaf.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
    assertThat(leaf.getPublicKey().getAlgorithm()).isEqualTo("EC");
    assertThat(leaf.getSigAlgName()).isEqualTo("SHA256withECDSA");
    leaf.verify(ca.rootCertificate().getPublicKey());
  }

  @Test
  void rsaLeafMayAlsoEncipherKeys() {
    IssuedCertificate issued = ca.issue(API, Duration.ofHours(2), KeyAlgorithm.RSA_2048);

    assertThat(issued.keyAlgorithm()).isEqualTo(KeyAlgorithm.RSA_2048);
    assertThat(issued.certificate().getPublicKey().getAlgorithm()).isEqualTo("RSA");
    assertThat(issued.certificate().getKeyUsage()[2]).as("keyEncipherment").isTrue();
    assertThat(issued.privateKey().getAlgorithm()).isEqualTo("RSA");
  }

  @Test
  void validityIsBackdatedAMinuteAndLastsTheTtl() {
    IssuedCertificate issued = ca.issue(API, Duration.ofHours(2));

    assertThat(issued.notBefore()).isEqualTo(NOW.minus(Duration.ofMinutes(1)));
    assertThat(issued.notAfter()).isEqualTo(NOW.plus(Duration.ofHours(2)));
    assertThat(ca.issue(API).notAfter()).isEqualTo(NOW.plus(CertificateAuthority.DEFAULT_TTL));
    assertThat(CertificateAuthority.DEFAULT_TTL).isEqualTo(Duration.ofHours(24));
  }

  @Test
  void serialsAreRandomPositiveAndAtMost128Bits() {
    Set<BigInteger> serials = ConcurrentHashMap.newKeySet();
    IntStream.range(0, 200).parallel().forEach(i -> serials.add(ca.issue(API, Duration.ofHours(1)).serial()));

    assertThat(serials).hasSize(200).allSatisfy(serial -> {
      assertThat(serial.signum()).isPositive();
      assertThat(serial.bitLength()).isLessThanOrEqualTo(128);
    });
    assertThat(serials.stream().mapToInt(BigInteger::bitLength).max().getAsInt()).isGreaterThan(120);
  }

  @Test
  void chainIsTheLeafThenTheRoot() {
    IssuedCertificate issued = ca.issue(API, Duration.ofHours(1));

    assertThat(issued.chain()).containsExactly(issued.certificate(), ca.rootCertificate());
    assertThat(PemFiles.parseCertificates(issued.chainPem().getBytes(StandardCharsets.US_ASCII), null))
        .isEqualTo(issued.chain());
    assertThat(PemFiles.parseCertificates(ca.rootCertificatePem().getBytes(StandardCharsets.US_ASCII), null))
        .containsExactly(ca.rootCertificate());
  }

  @Test
  void privateKeyPemIsTheKeyOfTheCertificate() {
    IssuedCertificate issued = ca.issue(API, Duration.ofHours(1));

    var key = PemFiles.parsePrivateKey(issued.privateKeyPem().getBytes(StandardCharsets.US_ASCII), null);

    KeyPairCheck.requireMatch(key, issued.certificate(), null);
    assertThat(issued.privateKeyPem()).startsWith("-----BEGIN PRIVATE KEY-----\n");
  }

  @Test
  void rootIsATenYearCaForItsTrustDomain() {
    X509Certificate root = ca.rootCertificate();

    assertThat(root.getSubjectX500Principal().getName()).isEqualTo("CN=Meshwork Root CA,O=cluster.local");
    assertThat(root.getBasicConstraints()).isGreaterThanOrEqualTo(0);
    assertThat(root.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(3650)));
    assertThat(ca.trustDomain()).contains("cluster.local");
  }

  @Test
  void rejectsANullIdentity() {
    assertThatThrownBy(() -> ca.issue(null, Duration.ofHours(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("identity: null (expected: a workload identity)");
  }

  @Test
  void rejectsATtlThatIsNotPositive() {
    assertThatThrownBy(() -> ca.issue(API, Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ttl: PT-1S (expected: > 0)");
    assertThatThrownBy(() -> ca.issue(API, Duration.ZERO)).hasMessage("ttl: PT0S (expected: > 0)");
    assertThatThrownBy(() -> ca.issue(API, null)).hasMessage("ttl: null (expected: > 0)");
  }

  @Test
  void rejectsATtlThatOutlivesTheRoot() {
    assertThatThrownBy(() -> ca.issue(API, Duration.ofDays(3651)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("ttl: PT87624H (expected: <= PT87600H, so the certificate expires no later than its CA");
    assertThatThrownBy(() -> ca.issue(API, Duration.ofSeconds(Long.MAX_VALUE)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("ttl: ");
  }

  @Test
  void rejectsAnIdentityOfAnotherTrustDomain() {
    assertThatThrownBy(() -> ca.issue(WorkloadIdentity.of("other.org", "prod", "api"), Duration.ofHours(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("identity: 'spiffe://other.org/ns/prod/sa/api' (expected: trust domain 'cluster.local',"
            + " the one this CA issues for)");
  }

  @Test
  void rejectsAnInvalidTrustDomain() {
    assertThatThrownBy(() -> CertificateAuthority.create("Not Valid"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("trustDomain: 'Not Valid'");
  }

  @Test
  void revokedSerialsAreRemembered() {
    CertificateAuthority authority = CertificateAuthority.create("cluster.local");
    IssuedCertificate issued = authority.issue(API, Duration.ofHours(1));
    assertThat(authority.isRevoked(issued.serial())).isFalse();

    authority.revoke(issued.serial());
    authority.revoke(issued.serial());

    assertThat(authority.isRevoked(issued.serial())).isTrue();
    assertThat(authority.isRevoked(issued.serial().add(BigInteger.ONE))).isFalse();
    assertThat(authority.isRevoked(null)).isFalse();
  }

  @Test
  void rejectsRevokingASerialThatCannotExist() {
    assertThatThrownBy(() -> ca.revoke(null)).hasMessage("serial: null (expected: a positive certificate serial)");
    assertThatThrownBy(() -> ca.revoke(BigInteger.ZERO)).hasMessage("serial: 0 (expected: a positive certificate serial)");
  }

  @Test
  void neitherToStringNorTheLogShowsKeyMaterial(@TempDir Path dir) {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    CertificateAuthority authority;
    IssuedCertificate issued;
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      authority = CertificateAuthority.create("cluster.local");
      issued = authority.issue(API, Duration.ofHours(1));
      authority.save(dir);
      authority = CertificateAuthority.load(dir.resolve(CertificateAuthority.CERTIFICATE_FILE),
          dir.resolve(CertificateAuthority.PRIVATE_KEY_FILE));
    } finally {
      System.setErr(original);
    }
    String caKey = body(PemFiles.readPrivateKey(dir.resolve(CertificateAuthority.PRIVATE_KEY_FILE)).getEncoded());
    String leafKey = body(issued.privateKey().getEncoded());

    assertThat(captured.toString(StandardCharsets.UTF_8)).contains("certificate authority ready")
        .doesNotContain(caKey).doesNotContain(leafKey).doesNotContain("PRIVATE KEY");
    assertThat(authority.toString()).doesNotContain(caKey).doesNotContain("PRIVATE");
    assertThat(issued.toString()).doesNotContain(leafKey).doesNotContain("PRIVATE")
        .contains(issued.serial().toString(16));
  }

  /** A stretch of the key's base64 long enough that finding it anywhere means the key leaked. */
  private static String body(byte[] encoded) {
    return Base64.getEncoder().encodeToString(encoded).substring(40, 80);
  }

  @Test
  void issuanceFromManyThreadsGivesValidDistinctCertificates() {
    List<IssuedCertificate> issued = IntStream.range(0, 64).parallel()
        .mapToObj(i -> ca.issue(WorkloadIdentity.of("cluster.local", "ns" + i, "svc" + i), Duration.ofHours(1)))
        .toList();

    Set<BigInteger> serials = new HashSet<>();
    for (IssuedCertificate certificate : issued) {
      serials.add(certificate.serial());
      assertThat(SpiffeIds.identityOf(certificate.certificate())).contains(certificate.identity());
      KeyPairCheck.requireMatch(certificate.privateKey(), certificate.certificate(), null);
    }
    assertThat(serials).hasSize(64);
  }
}
