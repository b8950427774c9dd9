package io.meshwork.security;

import java.io.IOException;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;

/**
 * Issues X509-SVID leaf certificates signed by one CA. Everything that does not depend on the
 * workload (issuer name, constant extensions, the signer) is prepared once, because issuance
 * runs for every workload and every renewal.
 */
final class LeafCertificateIssuer {

  /** RFC 5280 caps a subject attribute at 64 characters; the full names are in the SANs. */
  private static final int MAX_ATTRIBUTE_LENGTH = 64;

  private final IssuerCredentials issuer;
  private final SecureRandom random;
  private final X500Name issuerName;
  private final List<X509Certificate> caChain;
  private final Extension basicConstraints;
  private final Extension extendedKeyUsage;
  private final Extension ecKeyUsage;
  private final Extension rsaKeyUsage;
  private final Extension authorityKeyId;
  // Initialising a JCA Signature is not free; a signer is reused by one issuing thread at a time.
  private final Queue<ContentSigner> signers = new ConcurrentLinkedQueue<>();

  LeafCertificateIssuer(IssuerCredentials issuer, SecureRandom random) {
    this.issuer = issuer;
    this.random = random;
    X509Certificate signing = issuer.signingCertificate();
    this.issuerName = X500Name.getInstance(signing.getSubjectX500Principal().getEncoded());
    this.caChain = issuer.chain();
    try {
      this.basicConstraints = new Extension(Extension.basicConstraints, true,
          new BasicConstraints(false).getEncoded());
      this.extendedKeyUsage = new Extension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
          new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}).getEncoded());
      this.ecKeyUsage = new Extension(Extension.keyUsage, true,
          new KeyUsage(KeyUsage.digitalSignature).getEncoded());
      this.rsaKeyUsage = new Extension(Extension.keyUsage, true,
          new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment).getEncoded());
      this.authorityKeyId = new Extension(Extension.authorityKeyIdentifier, false,
          new AuthorityKeyIdentifier(CertificateSigning.subjectKeyIdOf(signing)).getEncoded());
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode a constant extension", e);
    }
  }

  /** A new key pair and a leaf for {@code identity}, valid from {@code notBefore} to {@code notAfter}. */
  IssuedCertificate issue(WorkloadIdentity identity, Instant notBefore, Instant notAfter, KeyAlgorithm algorithm) {
    KeyPair keyPair = CertificateSigning.generateKeyPair(algorithm, random);
    BigInteger serial = CertificateSigning.randomSerial(random);
    X500Name subject = subjectOf(identity);
    X509v3CertificateBuilder builder = new X509v3CertificateBuilder(issuerName, serial,
        CertificateSigning.toDate(notBefore), CertificateSigning.toDate(notAfter), subject,
        SubjectPublicKeyInfo.getInstance(keyPair.getPublic().getEncoded()));
    try {
      builder.addExtension(basicConstraints);
      builder.addExtension(algorithm == KeyAlgorithm.RSA_2048 ? rsaKeyUsage : ecKeyUsage);
      builder.addExtension(extendedKeyUsage);
      builder.addExtension(authorityKeyId);
      builder.addExtension(Extension.subjectKeyIdentifier, false,
          new SubjectKeyIdentifier(CertificateSigning.keyIdentifier(keyPair.getPublic())));
      builder.addExtension(Extension.subjectAlternativeName, false, alternativeNames(identity));
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode the extensions of " + identity, e);
    }
    ContentSigner signer = borrowSigner();
    X509Certificate leaf = CertificateSigning.toX509(builder.build(signer));
    signers.offer(signer);
    List<X509Certificate> chain = new ArrayList<>(caChain.size() + 1);
    chain.add(leaf);
    chain.addAll(caChain);
    return new IssuedCertificate(identity, algorithm, keyPair.getPrivate(), chain);
  }

  private ContentSigner borrowSigner() {
    ContentSigner signer = signers.poll();
    return signer != null ? signer : CertificateSigning.contentSigner(issuer.key(), random);
  }

  /**
   * The SPIFFE ID, then the DNS names {@code <service>} and {@code <service>.<namespace>.svc.cluster.local}
   * when they are host names: a name with '_' would make strict readers, the JDK's among them,
   * refuse the whole extension.
   */
  private static GeneralNames alternativeNames(WorkloadIdentity identity) {
    List<GeneralName> names = new ArrayList<>(3);
    names.add(new GeneralName(GeneralName.uniformResourceIdentifier, identity.spiffeId()));
    String clusterName = identity.service() + "." + identity.namespace() + ".svc.cluster.local";
    for (String dnsName : new String[] {identity.service(), clusterName}) {
      if (SubjectAltNames.isHostName(dnsName)) {
        names.add(new GeneralName(GeneralName.dNSName, dnsName));
      }
    }
    return new GeneralNames(names.toArray(GeneralName[]::new));
  }

  /** Informational only (the identity is the SAN), and never empty, which would make the SAN critical. */
  private static X500Name subjectOf(WorkloadIdentity identity) {
    return new X500NameBuilder(BCStyle.INSTANCE)
        .addRDN(BCStyle.O, truncated(identity.trustDomain()))
        .addRDN(BCStyle.OU, truncated(identity.namespace()))
        .addRDN(BCStyle.CN, truncated(identity.service()))
        .build();
  }

  private static String truncated(String value) {
    return value.length() <= MAX_ATTRIBUTE_LENGTH ? value : value.substring(0, MAX_ATTRIBUTE_LENGTH);
  }
}
