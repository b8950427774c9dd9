package io.meshwork.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Any valid identity survives issue -> X.509 -> SAN parsing unchanged. */
class IssuanceProperties {

  // A root costs one key pair; reuse it for every identity of its trust domain.
  private static final Map<String, CertificateAuthority> AUTHORITIES = new ConcurrentHashMap<>();

  @Property(tries = 400)
  void identityReadsBackFromTheIssuedCertificate(@ForAll("identities") WorkloadIdentity identity) throws Exception {
    CertificateAuthority ca = AUTHORITIES.computeIfAbsent(identity.trustDomain(), CertificateAuthority::create);

    X509Certificate leaf = ca.issue(identity, Duration.ofMinutes(5)).certificate();

    assertThat(SpiffeIds.identityOf(leaf)).contains(identity);
    List<String> expectedDns = Stream.of(identity.service(),
            identity.service() + "." + identity.namespace() + ".svc.cluster.local")
        .filter(SubjectAltNames::isHostName).toList();
    assertThat(SubjectAltNames.dnsNames(leaf)).isEqualTo(expectedDns);
    assertThat(leaf.getCriticalExtensionOIDs()).doesNotContain("2.5.29.17");
    leaf.verify(ca.rootCertificate().getPublicKey());
  }

  @Provide
  Arbitrary<WorkloadIdentity> identities() {
    Arbitrary<String> trustDomains = Arbitraries.oneOf(
        Arbitraries.of("cluster.local", "example.org"),
        Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789.-_").ofMinLength(1).ofMaxLength(40));
    Arbitrary<String> segments = Arbitraries.strings()
        .withCharRange('a', 'z').withCharRange('A', 'Z').withCharRange('0', '9').withChars("._-")
        .ofMinLength(1).ofMaxLength(100)
        .filter(s -> !s.equals(".") && !s.equals(".."));
    return Combinators.combine(trustDomains, segments, segments).as(WorkloadIdentity::of);
  }
}
