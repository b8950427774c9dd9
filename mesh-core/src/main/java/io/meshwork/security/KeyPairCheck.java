package io.meshwork.security;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;

/** Proves that a private key belongs to a certificate, by signing with one and verifying with the other. */
final class KeyPairCheck {

  // Comparing encodings would need the public half of the private key, which PKCS#8 may not carry.
  private static final byte[] CHALLENGE = "meshwork key pair check".getBytes(StandardCharsets.US_ASCII);

  private KeyPairCheck() {}

  /** Throws unless {@code key} is the private half of {@code certificate}'s public key. */
  static void requireMatch(PrivateKey key, X509Certificate certificate, Path keyFile) {
    PublicKey publicKey = certificate.getPublicKey();
    String subject = certificate.getSubjectX500Principal().getName();
    if (!key.getAlgorithm().equals(publicKey.getAlgorithm())) {
      throw new InvalidCertificateException(keyFile, "private key of type " + key.getAlgorithm()
          + " does not match the " + publicKey.getAlgorithm() + " certificate '" + subject
          + "' (expected: the certificate's own key)", null);
    }
    boolean matches;
    try {
      String algorithm = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(CHALLENGE);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(publicKey);
      verifier.update(CHALLENGE);
      matches = verifier.verify(signature);
    } catch (GeneralSecurityException | RuntimeException e) {
      // A key on another curve, or a broken key, is a mismatch too.
      matches = false;
    }
    if (!matches) {
      throw new InvalidCertificateException(keyFile, "private key does not match the certificate '"
          + subject + "' (expected: the certificate's own key)", null);
    }
  }
}
