package io.meshwork.security;

import java.io.IOException;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;

/** The serials a CA has revoked, and the signed X.509 CRL that publishes them. */
final class RevocationList {

  /** How long a published CRL claims to be current; a fresh one is signed on every request. */
  static final Duration CRL_VALIDITY = Duration.ofHours(1);

  private final Map<BigInteger, Instant> revoked = new ConcurrentHashMap<>();
  // RFC 5280 asks for a monotonically increasing number on each CRL an issuer publishes.
  private final AtomicLong crlNumber = new AtomicLong();

  /** Records {@code serial} as revoked at {@code now}; revoking twice keeps the first time. */
  void revoke(BigInteger serial, Instant now) {
    revoked.putIfAbsent(serial, now);
  }

  boolean isRevoked(BigInteger serial) {
    return revoked.containsKey(serial);
  }

  int size() {
    return revoked.size();
  }

  /** A CRL of every revoked serial, signed by {@code issuer} and valid from {@code now}. */
  String toPem(IssuerCredentials issuer, Instant now, SecureRandom random) {
    X509Certificate signing = issuer.signingCertificate();
    X509v2CRLBuilder builder = new X509v2CRLBuilder(
        X500Name.getInstance(signing.getSubjectX500Principal().getEncoded()), CertificateSigning.toDate(now));
    builder.setNextUpdate(CertificateSigning.toDate(now.plus(CRL_VALIDITY)));
    revoked.forEach((serial, when) ->
        builder.addCRLEntry(serial, CertificateSigning.toDate(when), CRLReason.unspecified));
    try {
      builder.addExtension(Extension.cRLNumber, false,
          new CRLNumber(BigInteger.valueOf(crlNumber.incrementAndGet())));
      builder.addExtension(Extension.authorityKeyIdentifier, false,
          new AuthorityKeyIdentifier(CertificateSigning.subjectKeyIdOf(signing)));
      X509CRLHolder crl = builder.build(CertificateSigning.contentSigner(issuer.key(), random));
      return PemFiles.encode("X509 CRL", crl.getEncoded());
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode the revocation list", e);
    }
  }
}
