package io.meshwork.security;

import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Reads a workload's SPIFFE identity back out of its X.509 certificate. */
public final class SpiffeIds {

  /** The GeneralName tag of a uniformResourceIdentifier, as returned by the JDK. */
  private static final int URI_NAME = 6;

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
    try {
      Collection<List<?>> names = certificate.getSubjectAlternativeNames();
      if (names == null) {
        return Optional.empty();
      }
      for (List<?> name : names) {
        if (name.size() >= 2 && Integer.valueOf(URI_NAME).equals(name.get(0))
            && name.get(1) instanceof String uri && uri.regionMatches(true, 0, "spiffe://", 0, 9)) {
          if (spiffeId != null) {
            return Optional.empty();
          }
          spiffeId = uri;
        }
      }
      return spiffeId == null ? Optional.empty() : Optional.of(WorkloadIdentity.parse(spiffeId));
    } catch (Exception e) {
      // CertificateParsingException, or a SPIFFE ID that is not a workload identity.
      return Optional.empty();
    }
  }

  /**
   * The trust domain named by a signing certificate's URI SAN {@code spiffe://<trust-domain>}, as the
   * X509-SVID spec lets a CA carry it; empty when there is none.
   */
  static Optional<String> trustDomainOf(X509Certificate certificate) {
    try {
      Collection<List<?>> names = certificate.getSubjectAlternativeNames();
      for (List<?> name : names == null ? List.<List<?>>of() : names) {
        if (name.size() >= 2 && Integer.valueOf(URI_NAME).equals(name.get(0))
            && name.get(1) instanceof String uri && uri.startsWith("spiffe://")) {
          String domain = uri.substring("spiffe://".length());
          domain = domain.endsWith("/") ? domain.substring(0, domain.length() - 1) : domain;
          return Optional.of(WorkloadIdentity.of(domain, "ns", "sa").trustDomain());
        }
      }
    } catch (Exception e) {
      // Not a usable trust domain: the CA then issues for any.
    }
    return Optional.empty();
  }

  /** The identity of the leaf (first) certificate of {@code chain}; empty for an empty chain. */
  public static Optional<WorkloadIdentity> identityOf(List<X509Certificate> chain) {
    return chain == null || chain.isEmpty() ? Optional.empty() : identityOf(chain.get(0));
  }
}
