package io.meshwork.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issued certificates, roots and CRLs as the openssl command line tool sees them. */
class CertificateAuthorityOpensslTest {

  private static final WorkloadIdentity API = WorkloadIdentity.of("cluster.local", "prod", "api");
  private static CertificateAuthority ca;

  @TempDir Path dir;

  @BeforeAll
  static void createAuthority() {
    ca = CertificateAuthority.create("cluster.local");
  }

  @Test
  void ecdsaLeafVerifiesAgainstTheRoot() {
    IssuedCertificate issued = ca.issue(API, Duration.ofHours(1));
    Openssl.write(dir, "root.pem", ca.rootCertificatePem());
    Openssl.write(dir, "leaf.pem", issued.certificatePem());

    assertThat(Openssl.check(dir, "verify", "-CAfile", "root.pem", "leaf.pem")).contains("leaf.pem: OK");
  }

  @Test
  void rsaLeafVerifiesAgainstTheRoot() {
    IssuedCertificate issued = ca.issue(API, Duration.ofHours(1), KeyAlgorithm.RSA_2048);
    Openssl.write(dir, "root.pem", ca.rootCertificatePem());
    Openssl.write(dir, "leaf.pem", issued.certificatePem());

    assertThat(Openssl.check(dir, "verify", "-CAfile", "root.pem", "leaf.pem")).contains("leaf.pem: OK");
    assertThat(Openssl.check(dir, "x509", "-in", "leaf.pem", "-text", "-noout"))
        .contains("Public-Key: (2048 bit)", "Digital Signature, Key Encipherment");
  }

  @Test
  void leafShowsTheSpiffeIdAndDnsNamesAndItsUsage() {
    Openssl.write(dir, "leaf.pem", ca.issue(API, Duration.ofHours(1)).certificatePem());

    String text = Openssl.check(dir, "x509", "-in", "leaf.pem", "-text", "-noout");

    assertThat(text)
        .contains("URI:spiffe://cluster.local/ns/prod/sa/api")
        .contains("DNS:api", "DNS:api.prod.svc.cluster.local")
        .contains("CA:FALSE")
        .contains("TLS Web Server Authentication, TLS Web Client Authentication")
        .contains("ASN1 OID: prime256v1")
        .contains("X509v3 Subject Key Identifier", "X509v3 Authority Key Identifier");
    assertThat(text).containsPattern("X509v3 Key Usage: critical\\s+Digital Signature\\s");
  }

  @Test
  void rootIsACaForCertificatesAndCrlsOnly() {
    Openssl.write(dir, "root.pem", ca.rootCertificatePem());

    String text = Openssl.check(dir, "x509", "-in", "root.pem", "-text", "-noout", "-nameopt", "RFC2253");

    assertThat(text)
        .contains("Subject: CN=Meshwork Root CA,O=cluster.local")
        .containsPattern("X509v3 Basic Constraints: critical\\s+CA:TRUE")
        .containsPattern("X509v3 Key Usage: critical\\s+Certificate Sign, CRL Sign");
  }

  @Test
  void expiredLeafFailsVerification() {
    Instant twoDaysAgo = Instant.now().minus(Duration.ofDays(2));
    CertificateAuthority past = CertificateAuthority.create("cluster.local", Clock.fixed(twoDaysAgo, ZoneOffset.UTC));
    Openssl.write(dir, "root.pem", past.rootCertificatePem());
    Openssl.write(dir, "leaf.pem", past.issue(API, Duration.ofHours(1)).certificatePem());

    Openssl.Result result = Openssl.run(dir, "verify", "-CAfile", "root.pem", "leaf.pem");

    assertThat(result.succeeded()).as(result.output()).isFalse();
    assertThat(result.output()).contains("certificate has expired");
  }

  @Test
  void leafOfAnotherAuthorityFailsVerification() {
    CertificateAuthority other = CertificateAuthority.create("cluster.local");
    Openssl.write(dir, "root.pem", ca.rootCertificatePem());
    Openssl.write(dir, "leaf.pem", other.issue(API, Duration.ofHours(1)).certificatePem());

    Openssl.Result result = Openssl.run(dir, "verify", "-CAfile", "root.pem", "leaf.pem");

    assertThat(result.succeeded()).as(result.output()).isFalse();
    assertThat(result.output()).contains("unable to get local issuer certificate");
  }

  @Test
  void revokedSerialIsListedInASignedCrlThatOpensslEnforces() {
    CertificateAuthority authority = CertificateAuthority.create("cluster.local");
    IssuedCertificate revoked = authority.issue(API, Duration.ofHours(1));
    IssuedCertificate kept = authority.issue(API, Duration.ofHours(1));
    authority.revoke(revoked.serial());
    Openssl.write(dir, "root.pem", authority.rootCertificatePem());
    Openssl.write(dir, "crl.pem", authority.crlPem());
    Openssl.write(dir, "revoked.pem", revoked.certificatePem());
    Openssl.write(dir, "kept.pem", kept.certificatePem());

    String text = Openssl.check(dir, "crl", "-in", "crl.pem", "-text", "-noout");
    assertThat(text.replaceAll("Serial Number: 0+", "Serial Number: ").toLowerCase())
        .contains("serial number: " + revoked.serial().toString(16))
        .doesNotContain("serial number: " + kept.serial().toString(16));
    assertThat(Openssl.check(dir, "crl", "-in", "crl.pem", "-CAfile", "root.pem", "-noout")).contains("verify OK");

    Openssl.Result refused =
        Openssl.run(dir, "verify", "-crl_check", "-CAfile", "root.pem", "-CRLfile", "crl.pem", "revoked.pem");
    assertThat(refused.succeeded()).as(refused.output()).isFalse();
    assertThat(refused.output()).contains("certificate revoked");
    assertThat(Openssl.check(dir, "verify", "-crl_check", "-CAfile", "root.pem", "-CRLfile", "crl.pem", "kept.pem"))
        .contains("kept.pem: OK");
  }

  @Test
  void issuedPrivateKeyAndChainAreUsableByOpenssl() {
    IssuedCertificate issued = ca.issue(API, Duration.ofHours(1));
    Openssl.write(dir, "key.pem", issued.privateKeyPem());
    Openssl.write(dir, "chain.pem", issued.chainPem());
    Openssl.write(dir, "root.pem", ca.rootCertificatePem());

    String keyPublic = Openssl.check(dir, "pkey", "-in", "key.pem", "-pubout");
    String certPublic = Openssl.check(dir, "x509", "-in", "chain.pem", "-pubkey", "-noout");
    assertThat(keyPublic).isEqualTo(certPublic);
    assertThat(Openssl.check(dir, "verify", "-CAfile", "root.pem", "chain.pem")).contains("chain.pem: OK");
  }
}
