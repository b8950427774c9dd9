package io.meshwork.security;

import java.nio.file.Path;
import java.security.PrivateKey;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.util.io.pem.PemHeader;
import org.bouncycastle.util.io.pem.PemObject;

/** Turns one PEM block into a JCA private key: PKCS#8, or the traditional OpenSSL EC and RSA forms. */
final class PrivateKeyDecoder {

  private static final String EXPECTED =
      " (expected: an unencrypted 'PRIVATE KEY', 'EC PRIVATE KEY' or 'RSA PRIVATE KEY')";

  private PrivateKeyDecoder() {}

  /** The key in {@code block}, or null when the block holds something other than a private key. */
  static PrivateKey decode(PemObject block, Path file) {
    String type = block.getType();
    if (type.equals("ENCRYPTED PRIVATE KEY") || isLegacyEncrypted(block)) {
      throw new InvalidCertificateException(file, "encrypted private key" + EXPECTED, null);
    }
    if (!type.equals("PRIVATE KEY") && !type.equals("EC PRIVATE KEY") && !type.equals("RSA PRIVATE KEY")) {
      return null;
    }
    try {
      PrivateKey key = new JcaPEMKeyConverter().getPrivateKey(toPkcs8(type, block.getContent()));
      if (!key.getAlgorithm().equals("EC") && !key.getAlgorithm().equals("RSA")) {
        throw new InvalidCertificateException(file, "unsupported " + key.getAlgorithm()
            + " private key (expected: EC or RSA)", null);
      }
      return key;
    } catch (InvalidCertificateException e) {
      throw e;
    } catch (Exception e) {
      // Malformed DER surfaces as PEMException, IllegalArgumentException, ClassCastException...
      throw new InvalidCertificateException(file, "'" + type + "' block is not a valid private key: "
          + PemFiles.describe(e) + EXPECTED, e);
    }
  }

  private static PrivateKeyInfo toPkcs8(String type, byte[] der) throws java.io.IOException {
    switch (type) {
      case "EC PRIVATE KEY": {
        ECPrivateKey ec = ECPrivateKey.getInstance(der);
        if (ec.getParametersObject() == null) {
          throw new IllegalArgumentException("EC key without curve parameters");
        }
        return new PrivateKeyInfo(
            new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, ec.getParametersObject()), ec);
      }
      case "RSA PRIVATE KEY":
        return new PrivateKeyInfo(
            new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE),
            RSAPrivateKey.getInstance(der));
      default:
        return PrivateKeyInfo.getInstance(der);
    }
  }

  private static boolean isLegacyEncrypted(PemObject block) {
    for (Object header : block.getHeaders()) {
      if (header instanceof PemHeader h && "Proc-Type".equals(h.getName())
          && h.getValue() != null && h.getValue().contains("ENCRYPTED")) {
        return true;
      }
    }
    return false;
  }
}
