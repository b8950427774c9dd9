package io.meshwork.security;

import java.io.IOException;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;

/** Makes the self-signed ECDSA P-256 root of a new certificate authority. */
final class RootCertificateFactory {

  static final String COMMON_NAME = "Meshwork Root CA";
  static final Duration VALIDITY = Duration.ofDays(3650);
  /** Backdated like every certificate we make, so a peer whose clock lags still accepts it. */
  static final Duration BACKDATE = Duration.ofMinutes(1);

  private RootCertificateFactory() {}

  /** A new root for {@code trustDomain}, valid for ten years from {@code now}. */
  static IssuerCredentials create(String trustDomain, Instant now, SecureRandom random) {
    try {
      KeyPair keyPair = CertificateSigning.generateKeyPair(KeyAlgorithm.EC_P256, random);
      X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
          .addRDN(BCStyle.O, trustDomain)
          .addRDN(BCStyle.CN, COMMON_NAME)
          .build();
      BigInteger serial = CertificateSigning.randomSerial(random);
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial,
          CertificateSigning.toDate(now.minus(BACKDATE)), CertificateSigning.toDate(now.plus(VALIDITY)),
          subject, keyPair.getPublic());
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      builder.addExtension(Extension.subjectKeyIdentifier, false,
          new SubjectKeyIdentifier(CertificateSigning.keyIdentifier(keyPair.getPublic())));
      // The X509-SVID spec lets a signing certificate name its trust domain; load() reads it back.
      builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(
          new GeneralName(GeneralName.uniformResourceIdentifier, "spiffe://" + trustDomain)));
      var certificate = CertificateSigning.toX509(
          builder.build(CertificateSigning.contentSigner(keyPair.getPrivate(), random)));
      return new IssuerCredentials(keyPair.getPrivate(), List.of(certificate), Optional.of(trustDomain));
    } catch (IOException e) {
      throw new IllegalStateException("cannot create an ECDSA P-256 root certificate", e);
    }
  }
}
