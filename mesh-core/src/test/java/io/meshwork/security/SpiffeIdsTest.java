package io.meshwork.security;

import static io.meshwork.security.TestCertificates.dns;
import static io.meshwork.security.TestCertificates.selfSigned;
import static io.meshwork.security.TestCertificates.uri;
import static org.assertj.core.api.Assertions.assertThat;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading a workload identity back out of a certificate, and every certificate that has none. */
class SpiffeIdsTest {

  private static final WorkloadIdentity API = WorkloadIdentity.of("cluster.local", "prod", "api");

  @Test
  void readsTheIdentityOfAnIssuedCertificate() {
    CertificateAuthority ca = CertificateAuthority.create("cluster.local");
    IssuedCertificate issued = ca.issue(API, Duration.ofHours(1));

    assertThat(SpiffeIds.identityOf(issued.certificate())).contains(API);
    assertThat(SpiffeIds.identityOf(issued.chain())).contains(API);
    assertThat(SpiffeIds.identityOf(ca.rootCertificate())).as("a trust domain is no workload").isEmpty();
  }

  @Test
  void identitiesTheJdkCannotParseStillReadBack() throws Exception {
    // Found by IssuanceProperties: the JDK drops the whole SAN extension for a host like "a.".
    for (WorkloadIdentity odd : new WorkloadIdentity[] {
        WorkloadIdentity.of("a.", "a", "a"), WorkloadIdentity.of("my_domain", "ns", "svc"),
        WorkloadIdentity.of("cluster.local", "prod", "my_service")}) {
      X509Certificate leaf = CertificateAuthority.create(odd.trustDomain()).issue(odd, Duration.ofHours(1)).certificate();

      assertThat(SpiffeIds.identityOf(leaf)).as(odd.spiffeId()).contains(odd);
    }
    X509Certificate underscored = CertificateAuthority.create("cluster.local")
        .issue(WorkloadIdentity.of("cluster.local", "prod", "my_service"), Duration.ofHours(1)).certificate();
    assertThat(underscored.getSubjectAlternativeNames()).as("no DNS name that would spoil the JDK's reading")
        .containsExactly(List.of(6, "spiffe://cluster.local/ns/prod/sa/my_service"));
  }

  @Test
  void hostNamesAreLabelsOfLettersDigitsAndInnerHyphens() {
    assertThat(SubjectAltNames.isHostName("api.prod.svc.cluster.local")).isTrue();
    assertThat(SubjectAltNames.isHostName("9api-v2")).isTrue();
    for (String bad : new String[] {"", "a.", ".a", "a..b", "-a", "a-", "my_service", "a b", "x".repeat(64)}) {
      assertThat(SubjectAltNames.isHostName(bad)).as(bad).isFalse();
    }
  }

  @Test
  void findsTheSpiffeIdAmongOtherNames() {
    X509Certificate certificate = selfSigned(dns("api"), uri("https://example.com/x"), uri(API.spiffeId()));

    assertThat(SpiffeIds.identityOf(certificate)).contains(API);
  }

  @Test
  void noIdentityWithoutExactlyOneWorkloadSpiffeId() {
    assertThat(SpiffeIds.identityOf((X509Certificate) null)).isEmpty();
    assertThat(SpiffeIds.identityOf(List.of())).isEmpty();
    assertThat(SpiffeIds.identityOf(selfSigned())).isEmpty();
    assertThat(SpiffeIds.identityOf(selfSigned(dns("api")))).isEmpty();
    assertThat(SpiffeIds.identityOf(selfSigned(uri("spiffe://cluster.local/workload/api")))).isEmpty();
    assertThat(SpiffeIds.identityOf(selfSigned(uri("spiffe://Cluster.Local/ns/prod/sa/api")))).isEmpty();
    assertThat(SpiffeIds.identityOf(selfSigned(uri(API.spiffeId()), uri("spiffe://cluster.local/ns/prod/sa/db"))))
        .as("two identities are ambiguous").isEmpty();
  }
}
