package io.meshwork.netty.testing;

import io.meshwork.security.CertificateAuthority;
import io.meshwork.security.WorkloadIdentity;
import java.io.Reader;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Leaf certificates signed by a real {@link CertificateAuthority}'s root but shaped as no CA of ours
 * would issue them: a CA certificate posing as a workload, or a key usage that does not allow
 * signing, for tests of what a peer verifier must refuse.
 */
public final class CraftedCertificates {

  private final X509Certificate root;
  private final PrivateKey rootKey;

  private CraftedCertificates(X509Certificate root, PrivateKey rootKey) {
    this.root = root;
    this.rootKey = rootKey;
  }

  /** Signs with {@code authority}'s root key, read back from the files it saves into {@code dir}. */
  public static CraftedCertificates of(CertificateAuthority authority, Path dir) throws Exception {
    authority.save(dir);
    try (Reader reader = Files.newBufferedReader(dir.resolve(CertificateAuthority.PRIVATE_KEY_FILE));
         PEMParser parser = new PEMParser(reader)) {
      PrivateKey key = new JcaPEMKeyConverter().getPrivateKey((PrivateKeyInfo) parser.readObject());
      return new CraftedCertificates(authority.rootCertificate(), key);
    }
  }

  /**
   * An ECDSA leaf of {@code identity} (null: no URI SAN at all) for TLS client and server authentication, with a
   * basicConstraints of {@code ca} (null: no such extension) and a key usage of {@code keyUsage}
   * (a {@link KeyUsage} bit mask; 0: no such extension). Its key pair is {@code keys}.
   */
  public X509Certificate leaf(WorkloadIdentity identity, KeyPair keys, Boolean ca, int keyUsage) throws Exception {
    Instant now = Instant.now();
    var builder = new JcaX509v3CertificateBuilder(X500Name.getInstance(root.getSubjectX500Principal().getEncoded()),
        BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minus(Duration.ofMinutes(1))),
        Date.from(now.plus(Duration.ofHours(1))), new X500Name("CN=" + (identity == null ? "anonymous"
        : identity.service())), keys.getPublic());
    if (ca != null) {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
    }
    if (keyUsage != 0) {
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
    }
    builder.addExtension(Extension.extendedKeyUsage, false,
        new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
    GeneralName name = identity == null ? new GeneralName(GeneralName.dNSName, "order-service")
        : new GeneralName(GeneralName.uniformResourceIdentifier, identity.spiffeId());
    builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(name));
    return new JcaX509CertificateConverter().getCertificate(
        builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(rootKey)));
  }

  /** A fresh ECDSA P-256 key pair. */
  public static KeyPair keyPair() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(256);
    return generator.generateKeyPair();
  }

  /** The root that signed the leaves. */
  public X509Certificate root() {
    return root;
  }
}
