package io.meshwork.netty.internal.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.meshwork.netty.testing.CraftedCertificates;
import io.meshwork.netty.testing.TestCredentials;
import io.meshwork.security.CertificateAuthority;
import io.meshwork.security.CertificateBundle;
import io.meshwork.security.IssuedCertificate;
import io.meshwork.security.WorkloadIdentity;
import io.meshwork.time.FakeTicker;
import io.netty.handler.ssl.OpenSslCertificateException;
import io.netty.internal.tcnative.CertificateVerifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertPathValidatorException.BasicReason;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What a peer must present to pass the handshake, and the reason each refusal gives. */
class PeerVerifierTest {

  private static final WorkloadIdentity USERS = WorkloadIdentity.of("cluster.local", "default", "user-service");
  private static final WorkloadIdentity ORDERS = WorkloadIdentity.of("cluster.local", "default", "order-service");

  private final CertificateAuthority authority = CertificateAuthority.create("cluster.local");
  private final TestCredentials credentials = TestCredentials.of(authority, "order-service");
  private final TlsMaterial material = TlsMaterial.of(credentials.current());

  @Test
  void acceptsAServerPresentingTheExpectedIdentityAndAClientOfTheTrustDomain() {
    assertThatCode(() -> ofServer(USERS).checkServerTrusted(chain(authority.issue(USERS)), "ECDHE_ECDSA"))
        .doesNotThrowAnyException();
    assertThatCode(() -> ofClients().checkClientTrusted(chain(authority.issue(ORDERS)), "EC"))
        .doesNotThrowAnyException();
  }

  @Test
  void refusesAServerPresentingAnotherServicesIdentity() {
    WorkloadIdentity billing = WorkloadIdentity.of("cluster.local", "default", "billing-service");
    assertThat(serverRefusal(USERS, authority.issue(billing))).hasMessage("identity mismatch: expected "
        + USERS + ", the server presented " + billing);
    WorkloadIdentity otherNamespace = WorkloadIdentity.of("cluster.local", "prod", "user-service");
    assertThat(serverRefusal(USERS, authority.issue(otherNamespace))).hasMessageContaining("identity mismatch");
  }

  @Test
  void refusesAChainOfAnotherAuthority() {
    IssuedCertificate foreign = CertificateAuthority.create("cluster.local").issue(USERS);
    assertThat(serverRefusal(USERS, foreign))
        .hasMessageStartingWith("the server's certificate is not issued by a trusted authority (issuer ");
  }

  @Test
  void refusesAnExpiredCertificateAndOneNotYetValid() {
    FakeTicker past = new FakeTicker(Instant.now().minus(Duration.ofDays(2)));
    CertificateAuthority early = CertificateAuthority.create("cluster.local", past.clock());
    IssuedCertificate expired = early.issue(USERS, Duration.ofHours(1));
    CertificateAuthority late = CertificateAuthority.create("cluster.local",
        new FakeTicker(Instant.now().plus(Duration.ofDays(2))).clock());
    IssuedCertificate future = late.issue(USERS, Duration.ofHours(1));

    Throwable refusal = serverRefusal(USERS, expired);
    assertThat(refusal).hasMessageStartingWith("the server's certificate " + expired.serial().toString(16)
        + " expired at " + expired.notAfter());
    assertThat(reason(refusal)).isEqualTo(BasicReason.EXPIRED);
    assertThat(serverRefusal(USERS, future)).hasMessageContaining("is not valid before " + future.notBefore());
  }

  @Test
  void refusesARevokedCertificateAtTheNextHandshake() throws Exception {
    IssuedCertificate issued = authority.issue(ORDERS);
    ofClients().checkClientTrusted(chain(issued), "EC");
    authority.revoke(issued.serial());

    Throwable refusal = catchThrowable(() -> ofClients().checkClientTrusted(chain(issued), "EC"));
    assertThat(refusal).hasMessage("the client's certificate " + issued.serial().toString(16) + " is revoked");
    assertThat(reason(refusal)).isEqualTo(BasicReason.REVOKED);
  }

  @Test
  void refusesAClientOfAnotherTrustDomainEvenWhenItsRootIsTrusted(@TempDir Path dir) throws Exception {
    CertificateAuthority other = CertificateAuthority.create("example.org");
    IssuedCertificate own = authority.issue(ORDERS);
    Path key = Files.writeString(dir.resolve("key.pem"), own.privateKeyPem());
    Path chain = Files.writeString(dir.resolve("chain.pem"), own.chainPem());
    Path trust = Files.writeString(dir.resolve("trust.pem"),
        authority.rootCertificatePem() + other.rootCertificatePem());
    TlsMaterial both = TlsMaterial.of(CertificateBundle.load(key, chain, trust));
    IssuedCertificate stranger = other.issue(WorkloadIdentity.of("example.org", "default", "order-service"));

    Throwable refusal = catchThrowable(() -> PeerVerifier.ofClients(credentials, both, false)
        .checkClientTrusted(chain(stranger), "EC"));
    assertThat(refusal).hasMessage("the client's identity spiffe://example.org/ns/default/sa/order-service"
        + " is not of trust domain cluster.local");
  }

  @Test
  void refusesACaCertificatePosingAsAWorkloadOnEitherSide(@TempDir Path dir) throws Exception {
    CraftedCertificates crafted = CraftedCertificates.of(authority, dir);
    X509Certificate ca = crafted.leaf(ORDERS, CraftedCertificates.keyPair(), true,
        KeyUsage.digitalSignature | KeyUsage.keyCertSign);

    assertThat(catchThrowable(() -> ofClients().checkClientTrusted(new X509Certificate[] {ca}, "EC")))
        .isInstanceOf(CertificateException.class)
        .hasMessage("the client's certificate is a CA certificate (basicConstraints CA:TRUE), not a workload's");
    X509Certificate server = crafted.leaf(USERS, CraftedCertificates.keyPair(), true, KeyUsage.digitalSignature);
    assertThat(catchThrowable(() -> ofServer(USERS).checkServerTrusted(new X509Certificate[] {server}, "EC")))
        .hasMessage("the server's certificate is a CA certificate (basicConstraints CA:TRUE), not a workload's");
  }

  @Test
  void refusesALeafWhoseKeyUsageDoesNotAllowSigning(@TempDir Path dir) throws Exception {
    CraftedCertificates crafted = CraftedCertificates.of(authority, dir);
    for (int usage : new int[] {KeyUsage.keyCertSign, KeyUsage.keyAgreement, KeyUsage.keyEncipherment}) {
      X509Certificate leaf = crafted.leaf(ORDERS, CraftedCertificates.keyPair(), false, usage);
      assertThat(catchThrowable(() -> ofClients().checkClientTrusted(new X509Certificate[] {leaf}, "EC")))
          .as("key usage %s", usage).isInstanceOf(CertificateException.class)
          .hasMessage("the client's certificate's key usage does not allow digitalSignature");
    }
  }

  @Test
  void refusesAClientCertificateWithoutAUriSan(@TempDir Path dir) throws Exception {
    X509Certificate dnsOnly = CraftedCertificates.of(authority, dir).leaf(null, CraftedCertificates.keyPair(), false,
        KeyUsage.digitalSignature);
    assertThat(catchThrowable(() -> ofClients().checkClientTrusted(new X509Certificate[] {dnsOnly}, "EC")))
        .hasMessage("the client's certificate carries no SPIFFE ID");
  }

  @Test
  void acceptsALeafWithoutBasicConstraintsOrKeyUsage(@TempDir Path dir) throws Exception {
    CraftedCertificates crafted = CraftedCertificates.of(authority, dir);
    X509Certificate plain = crafted.leaf(ORDERS, CraftedCertificates.keyPair(), null, 0);
    assertThatCode(() -> ofClients().checkClientTrusted(new X509Certificate[] {plain}, "EC"))
        .doesNotThrowAnyException();
  }

  @Test
  void refusesAPeerThatPresentsNothingOrTheRootItself() {
    assertThat(catchThrowable(() -> ofClients().checkClientTrusted(new X509Certificate[0], "EC")))
        .hasMessage("the client presented no certificate");
    assertThat(catchThrowable(() -> ofClients().checkClientTrusted(
        new X509Certificate[] {authority.rootCertificate()}, "EC")))
        .hasMessage("the client presented a trust anchor, not a workload certificate");
  }

  @Test
  void aVerifierOfOneSideRefusesToVerifyTheOther() {
    assertThat(catchThrowable(() -> ofClients().checkServerTrusted(chain(authority.issue(USERS)), "EC")))
        .isInstanceOf(CertificateException.class);
    assertThat(catchThrowable(() -> ofServer(USERS).checkClientTrusted(chain(authority.issue(USERS)), "EC")))
        .isInstanceOf(CertificateException.class);
  }

  @ParameterizedTest(name = "OpenSSL {0}")
  @ValueSource(booleans = {true, false})
  void refusalsCarryWhatEachProviderTurnsIntoAnAlert(boolean openSsl) {
    IssuedCertificate issued = authority.issue(ORDERS);
    authority.revoke(issued.serial());
    Throwable refusal = catchThrowable(() -> PeerVerifier.ofClients(credentials, material, openSsl)
        .checkClientTrusted(chain(issued), "EC"));
    assertThat(reason(refusal)).as("the JDK's alert").isEqualTo(BasicReason.REVOKED);
    if (openSsl) {
      assertThat(((OpenSslCertificateException) refusal).errorCode()).as("BoringSSL's alert")
          .isEqualTo(CertificateVerifier.X509_V_ERR_CERT_REVOKED);
    } else {
      assertThat(refusal).isNotInstanceOf(OpenSslCertificateException.class);
    }
  }

  @Test
  void namesTheAnchorsAsAcceptedIssuers() {
    assertThat(ofClients().getAcceptedIssuers()).containsExactly(material.anchorCertificates);
  }

  private PeerVerifier ofServer(WorkloadIdentity expected) {
    return PeerVerifier.ofServer(credentials, material, expected, false);
  }

  private PeerVerifier ofClients() {
    return PeerVerifier.ofClients(credentials, material, false);
  }

  private Throwable serverRefusal(WorkloadIdentity expected, IssuedCertificate presented) {
    Throwable refusal = catchThrowable(() -> ofServer(expected).checkServerTrusted(chain(presented), "EC"));
    assertThat(refusal).isInstanceOf(CertificateException.class);
    return refusal;
  }

  private static CertPathValidatorException.Reason reason(Throwable refusal) {
    return ((CertPathValidatorException) refusal.getCause()).getReason();
  }

  private static X509Certificate[] chain(IssuedCertificate issued) {
    return issued.chain().toArray(new X509Certificate[0]);
  }
}
