package io.meshwork.security;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a certificate authority signs with: its private key and its certificate chain, the signing
 * certificate first and the root last (one certificate when the CA is its own root).
 *
 * @param key the signing certificate's private key; never printed
 * @param chain the signing certificate, then any intermediates, then the root
 * @param trustDomain the only trust domain this CA issues for, when it is known
 */
record IssuerCredentials(PrivateKey key, List<X509Certificate> chain, Optional<String> trustDomain) {

  IssuerCredentials {
    chain = List.copyOf(chain);
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("chain: [] (expected: at least the signing certificate)");
    }
  }

  /** The certificate whose key signs issued certificates. */
  X509Certificate signingCertificate() {
    return chain.get(0);
  }

  /** The self-signed certificate peers trust. */
  X509Certificate rootCertificate() {
    return chain.get(chain.size() - 1);
  }

  /** When the first certificate of the chain expires: no issued certificate may outlive it. */
  Instant notAfter() {
    Instant earliest = Instant.MAX;
    for (X509Certificate certificate : chain) {
      Instant notAfter = certificate.getNotAfter().toInstant();
      earliest = notAfter.isBefore(earliest) ? notAfter : earliest;
    }
    return earliest;
  }

  @Override
  public String toString() {
    // The generated toString would print the key.
    return "IssuerCredentials{subject=" + signingCertificate().getSubjectX500Principal().getName()
        + ", serial=" + signingCertificate().getSerialNumber().toString(16)
        + ", trustDomain=" + trustDomain.orElse("(any)") + "}";
  }
}
