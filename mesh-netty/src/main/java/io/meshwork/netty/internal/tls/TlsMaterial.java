package io.meshwork.netty.internal.tls;

import io.meshwork.security.CertificateBundle;
import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One generation of a workload's credentials in the form both SSL providers take: the private key
 * and certificates re-read by the JDK's own factories. The core issues Bouncy Castle objects of a
 * provider that is not registered; BoringSSL only needs their encodings, but the JDK provider signs
 * and validates with whatever objects it is given, so everything is converted once, here.
 */
final class TlsMaterial {

  final PrivateKey key;
  final X509Certificate[] chain;
  final X509Certificate[] anchorCertificates;
  final Set<TrustAnchor> anchors;

  private TlsMaterial(PrivateKey key, X509Certificate[] chain, X509Certificate[] anchorCertificates) {
    this.key = key;
    this.chain = chain;
    this.anchorCertificates = anchorCertificates;
    Set<TrustAnchor> set = new HashSet<>();
    for (X509Certificate anchor : anchorCertificates) {
      set.add(new TrustAnchor(anchor, null));
    }
    this.anchors = Set.copyOf(set);
  }

  /** The bundle's key, chain and trust anchors as JDK objects. */
  static TlsMaterial of(CertificateBundle bundle) {
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      return new TlsMaterial(jdkKey(bundle.privateKey()), jdk(factory, bundle.certificateChain()),
          jdk(factory, bundle.trustAnchors()));
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new IllegalStateException("unusable TLS credentials " + bundle + ": " + e, e);
    }
  }

  /** Whether {@code certificate} is one of the trust anchors itself (peers often send their root). */
  boolean isAnchor(X509Certificate certificate) {
    for (X509Certificate anchor : anchorCertificates) {
      if (anchor.equals(certificate)) {
        return true;
      }
    }
    return false;
  }

  private static PrivateKey jdkKey(PrivateKey key) throws GeneralSecurityException {
    // Bouncy Castle names EC keys "ECDSA", which the JDK's key factories do not know.
    String algorithm = key instanceof ECKey ? "EC" : key instanceof RSAKey ? "RSA" : key.getAlgorithm();
    byte[] pkcs8 = key.getEncoded();
    if (pkcs8 == null || !"PKCS#8".equals(key.getFormat())) {
      throw new GeneralSecurityException("the private key has no PKCS#8 encoding (format " + key.getFormat() + ")");
    }
    return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
  }

  private static X509Certificate[] jdk(CertificateFactory factory, List<X509Certificate> certificates)
      throws GeneralSecurityException {
    X509Certificate[] converted = new X509Certificate[certificates.size()];
    for (int i = 0; i < converted.length; i++) {
      converted[i] = (X509Certificate) factory.generateCertificate(
          new ByteArrayInputStream(certificates.get(i).getEncoded()));
    }
    return converted;
  }
}
