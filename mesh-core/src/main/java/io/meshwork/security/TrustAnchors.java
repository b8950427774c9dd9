package io.meshwork.security;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * What a trust bundle must be, and whether a certificate chain leads to one of its roots. Roots of
 * one trust domain often share their subject name (a rotated root keeps the old one's), so a link is
 * proved by the signature, never by names alone.
 */
final class TrustAnchors {

  private TrustAnchors() {}

  /**
   * Fails unless {@code root} may anchor trust: a CA certificate (basicConstraints CA:TRUE), or a
   * version 1 certificate, which has no extensions to say so.
   *
   * @param field what the caller was given, for the message
   */
  static void requireCa(String field, X509Certificate root) {
    if (root == null) {
      throw new InvalidCertificateException(field + ": null (expected: a CA root certificate)", null);
    }
    if (root.getVersion() >= 3 && root.getBasicConstraints() < 0) {
      throw new InvalidCertificateException(field + ": '" + name(root) + "' (serial " + serial(root)
          + ") is not a CA certificate (expected: a root with basicConstraints CA:TRUE)", null);
    }
  }

  /**
   * Whether {@code chain} (leaf first, then its issuers) is signed, link by link, up to one of
   * {@code anchors}. Dates, revocation and key usage are not looked at.
   */
  static boolean issuedUnder(List<X509Certificate> chain, List<X509Certificate> anchors) {
    for (int i = 0; i < chain.size(); i++) {
      X509Certificate certificate = chain.get(i);
      for (X509Certificate anchor : anchors) {
        if (signedBy(certificate, anchor)) {
          return true;
        }
      }
      if (i + 1 == chain.size() || !signedBy(certificate, chain.get(i + 1))) {
        return false;
      }
    }
    return false;
  }

  /** The subject of {@code certificate}, as messages name it. */
  static String name(X509Certificate certificate) {
    return certificate.getSubjectX500Principal().getName();
  }

  /** The serial of {@code certificate} in hex, as messages name it. */
  static String serial(X509Certificate certificate) {
    return certificate.getSerialNumber().toString(16);
  }

  private static boolean signedBy(X509Certificate child, X509Certificate parent) {
    if (!child.getIssuerX500Principal().equals(parent.getSubjectX500Principal())) {
      return false;
    }
    try {
      child.verify(parent.getPublicKey());
      return true;
    } catch (GeneralSecurityException | RuntimeException e) {
      return false; // another root of the same name, or a forged link
    }
  }
}
