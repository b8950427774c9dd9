package io.meshwork.controlplane;

import io.meshwork.security.InvalidCertificateException;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CRLException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A verified X.509 certificate revocation list: signed by one of the trust anchors it was checked
 * against, so a forged list cannot revoke (or unrevoke) anything. Immutable.
 */
public final class CertificateRevocationList {

  private static final CertificateRevocationList EMPTY = new CertificateRevocationList(Set.of(), Instant.EPOCH);
  private static final String BEGIN = "-----BEGIN X509 CRL-----";
  private static final String END = "-----END X509 CRL-----";

  private final Set<BigInteger> revoked;
  private final Instant thisUpdate;

  private CertificateRevocationList(Set<BigInteger> revoked, Instant thisUpdate) {
    this.revoked = Set.copyOf(revoked);
    this.thisUpdate = thisUpdate;
  }

  /** The list that revokes nothing. */
  public static CertificateRevocationList empty() {
    return EMPTY;
  }

  /**
   * Parses one PEM {@code X509 CRL} block and checks its signature against {@code anchors}.
   *
   * @param source names where the list came from, in error messages
   * @throws InvalidCertificateException naming {@code source}, when the text is no CRL, or no anchor
   *     issued and signed it
   */
  public static CertificateRevocationList parse(String pem, List<X509Certificate> anchors, String source) {
    Objects.requireNonNull(pem, "pem");
    Objects.requireNonNull(anchors, "anchors");
    X509CRL crl = decode(pem, source);
    for (X509Certificate anchor : anchors) {
      if (!anchor.getSubjectX500Principal().equals(crl.getIssuerX500Principal())) {
        continue;
      }
      try {
        crl.verify(anchor.getPublicKey());
      } catch (GeneralSecurityException e) {
        throw new InvalidCertificateException(source + ": the revocation list's signature does not verify with"
            + " the key of its issuer " + crl.getIssuerX500Principal().getName() + " (expected: signed by a trust anchor)", null);
      }
      Set<BigInteger> serials = new HashSet<>();
      Set<? extends X509CRLEntry> entries = crl.getRevokedCertificates();
      if (entries != null) {
        entries.forEach(entry -> serials.add(entry.getSerialNumber()));
      }
      return new CertificateRevocationList(serials, crl.getThisUpdate().toInstant());
    }
    throw new InvalidCertificateException(source + ": the revocation list's issuer "
        + crl.getIssuerX500Principal().getName() + " is none of the " + anchors.size()
        + " trust anchors (expected: a list signed by the CA that issues the fleet's certificates)", null);
  }

  /** Whether the list revokes {@code serial}. */
  public boolean isRevoked(BigInteger serial) {
    return serial != null && revoked.contains(serial);
  }

  /** The revoked serials. */
  public Set<BigInteger> revokedSerials() {
    return revoked;
  }

  /** When the issuer signed the list. */
  public Instant thisUpdate() {
    return thisUpdate;
  }

  private static X509CRL decode(String pem, String source) {
    int begin = pem.indexOf(BEGIN);
    int end = pem.indexOf(END, Math.max(begin, 0));
    if (begin < 0 || end < 0) {
      throw new InvalidCertificateException(source + ": no '" + BEGIN + "' block (expected: a PEM X.509 CRL)", null);
    }
    try {
      byte[] der = Base64.getMimeDecoder().decode(
          pem.substring(begin + BEGIN.length(), end).getBytes(StandardCharsets.US_ASCII));
      return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der));
    } catch (IllegalArgumentException | CRLException e) {
      throw new InvalidCertificateException(source + ": unreadable revocation list: " + e.getMessage()
          + " (expected: a PEM X.509 CRL)", null);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("X.509 is not supported by this JVM", e);
    }
  }

  @Override
  public String toString() {
    return "CertificateRevocationList{revoked=" + revoked.size() + ", thisUpdate=" + thisUpdate + "}";
  }
}
