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
