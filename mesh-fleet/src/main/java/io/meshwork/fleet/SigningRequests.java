package io.meshwork.fleet;

import io.meshwork.security.WorkloadIdentity;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** The workload's side of a CSR: a fresh key pair in this process, and the PEM request the CA signs. */
final class SigningRequests {

  private SigningRequests() {}

  /** A new ECDSA P-256 key pair. */
  static KeyPair newKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM cannot make an EC P-256 key pair", e);
    }
  }

  /** A PKCS#10 request for {@code identity} (its SPIFFE ID as URI SAN), signed with {@code keys}, in PEM. */
  static String csrPem(WorkloadIdentity identity, KeyPair keys) {
    try {
      ExtensionsGenerator extensions = new ExtensionsGenerator();
      extensions.addExtension(Extension.subjectAlternativeName, false,
          new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, identity.spiffeId())));
      PKCS10CertificationRequest request = new JcaPKCS10CertificationRequestBuilder(
          new X500Name("O=" + identity.trustDomain() + ",CN=" + identity.service()), keys.getPublic())
          .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate())
          .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
      StringWriter pem = new StringWriter();
      try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
        writer.writeObject(request);
      }
      return pem.toString();
    } catch (IOException | OperatorCreationException | IllegalArgumentException e) {
      throw new IllegalStateException("cannot make a signing request for " + identity, e);
    }
  }

  /** The certificates of a PEM text, in order. */
  static List<X509Certificate> certificates(String pem, String what) {
    try {
      List<X509Certificate> certificates = new ArrayList<>();
      CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
          .forEach(certificate -> certificates.add((X509Certificate) certificate));
      if (certificates.isEmpty()) {
        throw new IllegalArgumentException("no certificate");
      }
      return certificates;
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new ControlPlaneException(200, "the control plane's " + what + " is unreadable: " + e.getMessage());
    }
  }
}
