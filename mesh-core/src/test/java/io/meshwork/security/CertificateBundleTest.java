package io.meshwork.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
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
  void trustsTheAnchorsTheAuthorityNamesNow() {
    CertificateAuthority other = CertificateAuthority.create("cluster.local");
    CertificateAuthority both = new RootOverride(ca, ca.rootCertificate(),
        List.of(ca.rootCertificate(), other.rootCertificate()));

    CertificateBundle bundle = CertificateBundle.of(issued, both);

    assertThat(bundle.trustAnchors()).containsExactly(ca.rootCertificate(), other.rootCertificate());
    assertThat(bundle.trusts(other.issue(API, Duration.ofHours(1)).chain())).isTrue();
    assertThat(CertificateBundle.of(issued, ca).trusts(other.issue(API, Duration.ofHours(1)).chain())).isFalse();
  }

  @Test
  void anAuthorityThatDoesNotTrustItsOwnRootIsRefused() {
    CertificateAuthority other = CertificateAuthority.create("cluster.local");
    X509Certificate root = other.rootCertificate();
    CertificateAuthority wrong = new RootOverride(ca, ca.rootCertificate(), List.of(root));

    assertThatThrownBy(() -> CertificateBundle.of(issued, wrong)).isInstanceOf(InvalidCertificateException.class)
        .hasMessage("authority.trustAnchors(): ['" + root.getSubjectX500Principal().getName() + "' serial "
            + root.getSerialNumber().toString(16) + "] (expected: the root that issued the certificate of "
            + API + ", whose chain ends at '" + ca.rootCertificate().getSubjectX500Principal().getName()
            + "' serial " + ca.rootCertificate().getSerialNumber().toString(16) + ")");
  }

  @Test
  void anAnchorThatIsNoCaCertificateOrNoAnchorAtAllIsRefused() {
    CertificateAuthority leafAnchor = new RootOverride(ca, ca.rootCertificate(),
        List.of(ca.rootCertificate(), TestCertificates.selfSigned()));
    assertThatThrownBy(() -> CertificateBundle.of(issued, leafAnchor)).isInstanceOf(InvalidCertificateException.class)
        .hasMessage("authority.trustAnchors(): 'CN=test' (serial 1) is not a CA certificate (expected: a root with"
            + " basicConstraints CA:TRUE)");
    CertificateAuthority none = new RootOverride(ca, ca.rootCertificate(), List.of());
    assertThatThrownBy(() -> CertificateBundle.of(issued, none)).isInstanceOf(InvalidCertificateException.class)
        .hasMessage("authority.trustAnchors(): [] (expected: at least the root that signs, "
            + ca.rootCertificate().getSubjectX500Principal().getName() + ")");
  }

  @Test
  void wrapsWhatOurAuthorityIssuedWithoutPrintingTheKey() {
    CertificateBundle bundle = CertificateBundle.of(issued, ca);

    assertThat(bundle.trustAnchors()).containsExactly(ca.rootCertificate());
    assertThat(bundle.toString()).contains(API.spiffeId())
        .doesNotContain(Base64.getEncoder().encodeToString(issued.privateKey().getEncoded()).substring(40, 80));
  }
}
