package io.meshwork.security;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/** Reads a workload's SPIFFE identity back out of its X.509 certificate. */
public final class SpiffeIds {

  private static final String SCHEME = "spiffe://";

  private SpiffeIds() {}

  /**
   * The identity in {@code certificate}'s URI subject alternative name, or empty when it has none,
   * has more than one SPIFFE ID (the X509-SVID spec allows exactly one), or the one it has is not of
   * the form {@code spiffe://<trust-domain>/ns/<namespace>/sa/<service>}. Never throws for a
   * malformed certificate: a peer that cannot be identified simply has no identity.
   */
  public static Optional<WorkloadIdentity> identityOf(X509Certificate certificate) {
    if (certificate == null) {
      return Optional.empty();
    }
    String spiffeId = null;
    for (String uri : SubjectAltNames.uris(certificate)) {
      if (uri.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
        if (spiffeId != null) {
          return Optional.empty();
        }
        spiffeId = uri;
      }
    }
    try {
      return spiffeId == null ? Optional.empty() : Optional.of(WorkloadIdentity.parse(spiffeId));
    } catch (IllegalArgumentException e) {
      // A SPIFFE ID, but not of a workload: no identity.
      return Optional.empty();
    }
  }

  /**
   * The trust domain named by a signing certificate's URI SAN {@code spiffe://<trust-domain>}, as the
   * X509-SVID spec lets a CA carry it; empty when there is none.
   */
  static Optional<String> trustDomainOf(X509Certificate certificate) {
    for (String uri : SubjectAltNames.uris(certificate)) {
      if (uri.startsWith(SCHEME)) {
        String domain = uri.substring(SCHEME.length());
        domain = domain.endsWith("/") ? domain.substring(0, domain.length() - 1) : domain;
        try {
          return Optional.of(WorkloadIdentity.of(domain, "ns", "sa").trustDomain());
        } catch (IllegalArgumentException e) {
          // Not a usable trust domain: the CA then issues for any.
        }
      }
    }
    return Optional.empty();
  }

  /** The identity of the leaf (first) certificate of {@code chain}; empty for an empty chain. */
  public static Optional<WorkloadIdentity> identityOf(List<X509Certificate> chain) {
    return chain == null || chain.isEmpty() ? Optional.empty() : identityOf(chain.get(0));
  }
}
