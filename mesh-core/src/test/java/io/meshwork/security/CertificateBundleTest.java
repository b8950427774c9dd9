package io.meshwork.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A workload's own key, chain and trust bundle, from PEM files or from our CA. */
class CertificateBundleTest {

  private static final WorkloadIdentity API = WorkloadIdentity.of("cluster.local", "prod", "api");
  private static CertificateAuthority ca;
  private static IssuedCertificate issued;

  @TempDir Path dir;

  @BeforeAll
  static void issue() {
    ca = CertificateAuthority.create("cluster.local");
    issued = ca.issue(API, Duration.ofHours(1));
  }

  @Test
  void loadsKeyChainAndTrustFromThreeFiles() {
    CertificateBundle bundle = CertificateBundle.load(
        Openssl.write(dir, "key.pem", issued.privateKeyPem()),
        Openssl.write(dir, "chain.pem", issued.chainPem()),
        Openssl.write(dir, "trust.pem", ca.rootCertificatePem()));

    assertThat(bundle.identity()).contains(API);
    assertThat(bundle.certificate()).isEqualTo(issued.certificate());
    assertThat(bundle.certificateChain()).isEqualTo(issued.chain());
    assertThat(bundle.trustAnchors()).containsExactly(ca.rootCertificate());
    assertThat(bundle.privateKey()).isEqualTo(issued.privateKey());
  }

  @Test
  void keyAndChainMayShareAFile() {
    Path both = Openssl.write(dir, "both.pem", issued.chainPem() + issued.privateKeyPem());

    CertificateBundle bundle = CertificateBundle.load(both, both, Openssl.write(dir, "trust.pem", ca.rootCertificatePem()));

    assertThat(bundle.identity()).contains(API);
  }

  @Test
  void keyOfAnotherCertificateIsNamed() {
    Path otherKey = Openssl.write(dir, "other.pem", ca.issue(API, Duration.ofHours(1)).privateKeyPem());

    assertThatThrownBy(() -> CertificateBundle.load(otherKey, Openssl.write(dir, "chain.pem", issued.chainPem()),
            Openssl.write(dir, "trust.pem", ca.rootCertificatePem())))
        .isInstanceOf(InvalidCertificateException.class)
        .hasMessageStartingWith(otherKey + ": private key does not match the certificate 'CN=api,OU=prod,O=cluster.local'");
  }

  @Test
  void trustBundleWithoutCertificatesIsNamed() {
    Path trust = Openssl.write(dir, "trust.pem", issued.privateKeyPem());

    assertThatThrownBy(() -> CertificateBundle.load(Openssl.write(dir, "key.pem", issued.privateKeyPem()),
            Openssl.write(dir, "chain.pem", issued.chainPem()), trust))
        .isInstanceOf(InvalidCertificateException.class)
        .hasMessageStartingWith(trust + ": no certificate found");
  }

  @Test
  void wrapsWhatOurAuthorityIssuedWithoutPrintingTheKey() {
    CertificateBundle bundle = CertificateBundle.of(issued, ca);

    assertThat(bundle.trustAnchors()).containsExactly(ca.rootCertificate());
    assertThat(bundle.toString()).contains(API.spiffeId())
        .doesNotContain(Base64.getEncoder().encodeToString(issued.privateKey().getEncoded()).substring(40, 80));
  }
}
