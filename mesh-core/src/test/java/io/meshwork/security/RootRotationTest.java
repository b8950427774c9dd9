package io.meshwork.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.security.RootRotation.Phase;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A CA root replaced in three steps: who signs and who is trusted at each, and what is refused. */
class RootRotationTest {

  private static final WorkloadIdentity API = WorkloadIdentity.of("cluster.local", "prod", "api");

  private final CertificateAuthority old = CertificateAuthority.create("cluster.local");
  private final CertificateAuthority next = CertificateAuthority.create("cluster.local");
  private final RootRotation rotation = RootRotation.of(old);

  @Test
  void atRestTheCurrentRootSignsAndIsTheOnlyOneTrusted() throws Exception {
    assertThat(rotation.phase()).isEqualTo(Phase.STEADY);
    assertThat(rotation.trustAnchors()).containsExactly(old.rootCertificate());
    assertThat(rotation.rootCertificate()).isEqualTo(old.rootCertificate());
    assertThat(rotation.rootCertificatePem()).isEqualTo(old.rootCertificatePem());
    assertThat(rotation.trustDomain()).contains("cluster.local");
    issuedBy(rotation.issue(API, Duration.ofHours(1)), old);
  }

  @Test
  void theThreeStepsMoveSigningAndTrustFromTheOldRootToTheNew() throws Exception {
    rotation.begin(next);
    assertThat(rotation.phase()).isEqualTo(Phase.TRUSTING_NEXT);
    CertificateBundle first = CertificateBundle.of(rotation.issue(API, Duration.ofHours(1)), rotation);
    issuedBy(first, old);
    assertThat(first.trustAnchors()).containsExactly(old.rootCertificate(), next.rootCertificate());

    rotation.signWithNext();
    assertThat(rotation.phase()).isEqualTo(Phase.SIGNING_WITH_NEXT);
    CertificateBundle second = CertificateBundle.of(rotation.issue(API, Duration.ofHours(1)), rotation);
    issuedBy(second, next);
    assertThat(rotation.rootCertificate()).isEqualTo(next.rootCertificate());
    assertThat(rotation.rootCertificatePem()).isEqualTo(next.rootCertificatePem());
    assertThat(second.trustAnchors()).containsExactly(old.rootCertificate(), next.rootCertificate());
    // The overlap: workloads renewed in step 1 and in step 2 accept each other both ways.
    assertThat(first.trusts(second.certificateChain())).isTrue();
    assertThat(second.trusts(first.certificateChain())).isTrue();

    rotation.finish();
    assertThat(rotation.phase()).isEqualTo(Phase.STEADY);
    CertificateBundle third = CertificateBundle.of(rotation.issue(API, Duration.ofHours(1)), rotation);
    issuedBy(third, next);
    assertThat(third.trustAnchors()).containsExactly(next.rootCertificate());
    assertThat(third.trusts(second.certificateChain())).isTrue();
    assertThat(third.trusts(first.certificateChain())).as("a certificate of the old root after the rotation")
        .isFalse();
    assertThat(second.trusts(third.certificateChain())).isTrue();
  }

  @Test
  void aFinishedRotationCanRotateAgain() {
    rotation.begin(next);
    rotation.signWithNext();
    rotation.finish();
    CertificateAuthority third = CertificateAuthority.create("cluster.local");

    rotation.begin(third);

    assertThat(rotation.trustAnchors()).containsExactly(next.rootCertificate(), third.rootCertificate());
    assertThat(rotation.rootCertificate()).isEqualTo(next.rootCertificate());
  }

  @Test
  void rollBackUndoesOneStepAtATime() throws Exception {
    rotation.begin(next);
    rotation.signWithNext();

    rotation.rollBack();
    assertThat(rotation.phase()).isEqualTo(Phase.TRUSTING_NEXT);
    issuedBy(rotation.issue(API, Duration.ofHours(1)), old);
    assertThat(rotation.trustAnchors()).containsExactly(old.rootCertificate(), next.rootCertificate());

    rotation.rollBack();
    assertThat(rotation.phase()).isEqualTo(Phase.STEADY);
    assertThat(rotation.trustAnchors()).containsExactly(old.rootCertificate());
    assertThatThrownBy(rotation::rollBack).isInstanceOf(IllegalStateException.class)
        .hasMessage("rollBack(): the rotation is STEADY (expected: TRUSTING_NEXT or SIGNING_WITH_NEXT;"
            + " no rotation is under way)");
  }

  @Test
  void stepsOutOfTurnAreRefusedNamingThePhase() {
    assertThatThrownBy(rotation::signWithNext).isInstanceOf(IllegalStateException.class)
        .hasMessage("signWithNext(): the rotation is STEADY (expected: TRUSTING_NEXT; begin(next) first)");
    assertThatThrownBy(rotation::finish).isInstanceOf(IllegalStateException.class)
        .hasMessage("finish(): the rotation is STEADY (expected: SIGNING_WITH_NEXT; signWithNext() first)");
    rotation.begin(next);
    assertThatThrownBy(rotation::finish).isInstanceOf(IllegalStateException.class)
        .hasMessage("finish(): the rotation is TRUSTING_NEXT (expected: SIGNING_WITH_NEXT; signWithNext() first)");
    assertThatThrownBy(() -> rotation.begin(CertificateAuthority.create("cluster.local")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("begin(next): the rotation is TRUSTING_NEXT (expected: STEADY; finish() or rollBack() the"
            + " rotation under way first)");
    assertThat(rotation.phase()).isEqualTo(Phase.TRUSTING_NEXT);
  }

  @Test
  void theCurrentRootIsNoNextRoot() {
    X509Certificate root = old.rootCertificate();
    assertThatThrownBy(() -> rotation.begin(old)).isInstanceOf(InvalidCertificateException.class)
        .hasMessage("next: root '" + root.getSubjectX500Principal().getName() + "' serial "
            + root.getSerialNumber().toString(16) + " is the current root (expected: a new root)");
    assertThat(rotation.phase()).isEqualTo(Phase.STEADY);
  }

  @Test
  void aRootOfAnotherTrustDomainIsRefused() {
    assertThatThrownBy(() -> rotation.begin(CertificateAuthority.create("example.org")))
        .isInstanceOf(InvalidCertificateException.class)
        .hasMessage("next: trust domain 'example.org' (expected: 'cluster.local', the current root's: a root"
            + " rotation keeps the trust domain)");
  }

  @Test
  void aRootThatIsNoCaCertificateIsRefused() {
    CertificateAuthority leafAsRoot = new RootOverride(next, TestCertificates.selfSigned(), null);
    assertThatThrownBy(() -> rotation.begin(leafAsRoot)).isInstanceOf(InvalidCertificateException.class)
        .hasMessage("next.rootCertificate(): 'CN=test' (serial 1) is not a CA certificate (expected: a root with"
            + " basicConstraints CA:TRUE)");
    assertThatThrownBy(() -> RootRotation.of(leafAsRoot)).isInstanceOf(InvalidCertificateException.class)
        .hasMessageStartingWith("current.rootCertificate(): 'CN=test' (serial 1) is not a CA certificate");
  }

  @Test
  void aRotationIsNotRotatedByAnother() {
    assertThatThrownBy(() -> RootRotation.of(rotation)).isInstanceOf(InvalidCertificateException.class)
        .hasMessage("current: a RootRotation (expected: a certificate authority of one root; a rotation rotates"
            + " itself)");
    assertThatThrownBy(() -> rotation.begin(RootRotation.of(next))).isInstanceOf(InvalidCertificateException.class)
        .hasMessageStartingWith("next: a RootRotation");
    assertThatThrownBy(() -> rotation.begin(null)).isInstanceOf(NullPointerException.class).hasMessage("next");
  }

  @Test
  void revocationsReachBothAuthoritiesWhileBothAreTrusted() throws Exception {
    BigInteger early = rotation.issue(API, Duration.ofHours(1)).serial();
    rotation.begin(next);
    rotation.revoke(early);
    rotation.signWithNext();
    BigInteger late = rotation.issue(API, Duration.ofHours(1)).serial();
    rotation.revoke(late);

    assertThat(rotation.isRevoked(early)).isTrue();
    assertThat(rotation.isRevoked(late)).isTrue();
    assertThat(old.isRevoked(late)).as("told to the old authority too").isTrue();
    assertThat(next.isRevoked(late)).isTrue();
    X509CRL crl = (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(
        new ByteArrayInputStream(rotation.crlPem().getBytes(StandardCharsets.US_ASCII)));
    crl.verify(next.rootCertificate().getPublicKey()); // the list of the authority that signs now
    assertThat(crl.getRevokedCertificate(late)).isNotNull();

    rotation.finish();
    assertThat(rotation.isRevoked(late)).isTrue();
  }

  @Test
  void describesItselfByPhaseAndRootSerials() {
    rotation.begin(next);
    assertThat(rotation).hasToString("RootRotation{phase=TRUSTING_NEXT, signing="
        + old.rootCertificate().getSerialNumber().toString(16) + ", trusted=["
        + old.rootCertificate().getSerialNumber().toString(16) + ", "
        + next.rootCertificate().getSerialNumber().toString(16) + "]}");
  }

  private static void issuedBy(IssuedCertificate issued, CertificateAuthority authority) throws Exception {
    issued.certificate().verify(authority.rootCertificate().getPublicKey());
  }

  private static void issuedBy(CertificateBundle bundle, CertificateAuthority authority) throws Exception {
    bundle.certificate().verify(authority.rootCertificate().getPublicKey());
  }
}
