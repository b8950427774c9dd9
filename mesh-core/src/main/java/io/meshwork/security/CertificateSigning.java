package io.meshwork.security;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** The small pieces of X.509 issuance that roots, leaves and revocation lists share. */
final class CertificateSigning {

  private CertificateSigning() {}

  /**
   * Bouncy Castle's JCA provider, private to Meshwork: it generates P-256 keys and signs about four
   * times faster than the JDK 17 SunEC provider. It is never registered with {@code Security}, so the
   * application's provider order is left alone.
   */
  static Provider provider() {
    return ProviderHolder.PROVIDER;
  }

  /** A generator of {@code algorithm} key pairs from {@link #provider()}, drawing on {@code random}. */
  static KeyPair generateKeyPair(KeyAlgorithm algorithm, SecureRandom random) {
    try {
      KeyPairGenerator generator;
      if (algorithm == KeyAlgorithm.RSA_2048) {
        generator = KeyPairGenerator.getInstance("RSA", provider());
        generator.initialize(2048, random);
      } else {
        generator = KeyPairGenerator.getInstance("EC", provider());
        generator.initialize(new ECGenParameterSpec("secp256r1"), random);
      }
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot generate a " + algorithm + " key pair", e);
    }
  }

  /** The JCA signature algorithm for a CA key: SHA-256 with ECDSA or with RSA. */
  static String signatureAlgorithm(PrivateKey key) {
    return key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
  }

  /** A signer with its own JCA {@code Signature}, initialised once; reusable, but not concurrently. */
  static ContentSigner contentSigner(PrivateKey key, SecureRandom random) {
    try {
      return new JcaContentSignerBuilder(signatureAlgorithm(key))
          .setProvider(provider())
          .setSecureRandom(random)
          .build(key);
    } catch (OperatorCreationException e) {
      throw new IllegalStateException("cannot sign with a " + key.getAlgorithm() + " key", e);
    }
  }

  /**
   * A random positive serial of at most 128 bits: unpredictable, as the CA/Browser Forum asks, and
   * well inside RFC 5280's 20-octet limit.
   */
  static BigInteger randomSerial(SecureRandom random) {
    byte[] bytes = new byte[16];
    BigInteger serial;
    do {
      random.nextBytes(bytes);
      serial = new BigInteger(1, bytes);
    } while (serial.signum() == 0);
    return serial;
  }

  /** The RFC 5280 method-1 key identifier: SHA-1 of the subject public key bits. */
  static byte[] keyIdentifier(PublicKey key) {
    try {
      byte[] bits = SubjectPublicKeyInfo.getInstance(key.getEncoded()).getPublicKeyData().getBytes();
      return MessageDigest.getInstance("SHA-1").digest(bits);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-1 is not available", e);
    }
  }

  /**
   * The key identifier a CA certificate declares, which is what its issued certificates and CRLs
   * must name as their authority key identifier; computed from its key when it declares none.
   */
  static byte[] subjectKeyIdOf(X509Certificate certificate) {
    byte[] extension = certificate.getExtensionValue(Extension.subjectKeyIdentifier.getId());
    if (extension != null) {
      try {
        byte[] inner = DEROctetString.getInstance(extension).getOctets();
        return SubjectKeyIdentifier.getInstance(inner).getKeyIdentifier();
      } catch (RuntimeException e) {
        // A malformed identifier on a loaded CA: fall back to computing one.
      }
    }
    return keyIdentifier(certificate.getPublicKey());
  }

  /** X.509 times have whole seconds: truncating here keeps what we report equal to what is signed. */
  static Date toDate(Instant instant) {
    return Date.from(instant.truncatedTo(ChronoUnit.SECONDS));
  }

  /** The JCA form of a certificate Bouncy Castle just built. */
  static X509Certificate toX509(X509CertificateHolder holder) {
    try {
      return (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(holder.getEncoded()));
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("a certificate just built cannot be parsed", e);
    }
  }

  private static final class ProviderHolder {
    // Built on first use only: constructing the provider takes a noticeable fraction of a second.
    static final Provider PROVIDER = new BouncyCastleProvider();
  }
}
