package io.meshwork.controlplane.server.ca;

import io.meshwork.fleet.api.FieldError;
import io.meshwork.security.WorkloadIdentity;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * Signs certificate signing requests with the CA's key: the workload proved it holds the private key
 * (the request's signature), and the certificate carries the identity the caller is allowed, as the
 * built-in CA's own leaves do (SPIFFE ID and DNS SANs, client and server use, a random 128-bit
 * serial, valid from a minute ago). Nothing in the request but its key and its SPIFFE ID is used.
 *
 * <p>Seam: {@code CertificateAuthority} has no method that signs someone else's key yet; once it has,
 * this class becomes a call to it.
 */
public final class CsrSigner {

  // Bouncy Castle's provider, kept private (never registered): the JDK does not name EC key factories by OID.
  private static final java.security.Provider PROVIDER = new org.bouncycastle.jce.provider.BouncyCastleProvider();

  private final PrivateKey key;
  private final X509Certificate signing;
  private final SecureRandom random = new SecureRandom();

  CsrSigner(PrivateKey key, X509Certificate signing) {
    this.key = key;
    this.signing = signing;
  }

  /** The request in {@code pem}, its signature checked. */
  public static PKCS10CertificationRequest parse(String pem) {
    if (pem == null || pem.isBlank()) {
      throw new FieldError("csr", null, "a PEM certificate signing request (-----BEGIN CERTIFICATE REQUEST-----)");
    }
    Object parsed;
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      parsed = parser.readObject();
    } catch (IOException | RuntimeException e) {
      throw new FieldError("csr", excerpt(pem), "a PEM certificate signing request: " + e.getMessage());
    }
    if (!(parsed instanceof PKCS10CertificationRequest request)) {
      throw new FieldError("csr", excerpt(pem), "a PEM certificate signing request (-----BEGIN CERTIFICATE REQUEST-----)");
    }
    try {
      if (!request.isSignatureValid(new JcaContentVerifierProviderBuilder().setProvider(PROVIDER).build(request.getSubjectPublicKeyInfo()))) {
        throw new FieldError("csr", "(signature)", "a request signed by the key it carries");
      }
    } catch (OperatorCreationException | PKCSException e) {
      throw new FieldError("csr", "(signature)", "a request signed by the key it carries: " + e.getMessage());
    }
    return request;
  }

  /** The SPIFFE ID the request asks for (its one URI SAN). */
  public static WorkloadIdentity requestedIdentity(PKCS10CertificationRequest request) {
    List<String> uris = new ArrayList<>();
    for (Attribute attribute : request.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)) {
      for (ASN1Encodable value : attribute.getAttributeValues()) {
        GeneralNames names = GeneralNames.fromExtensions(Extensions.getInstance(value), Extension.subjectAlternativeName);
        if (names != null) {
          for (GeneralName name : names.getNames()) {
            if (name.getTagNo() == GeneralName.uniformResourceIdentifier) {
              uris.add(name.getName().toString());
            }
          }
        }
      }
    }
    if (uris.size() != 1) {
      throw new FieldError("csr", uris.size() + " URI SANs", "exactly one URI SAN: the workload's SPIFFE ID");
    }
    try {
      return WorkloadIdentity.parse(uris.get(0));
    } catch (IllegalArgumentException e) {
      throw new FieldError("csr", uris.get(0), "a SPIFFE ID, spiffe://<trust-domain>/ns/<namespace>/sa/<service>");
    }
  }

  /** A leaf for {@code identity} with the request's key, valid until {@code notAfter}. */
  public X509Certificate sign(PKCS10CertificationRequest request, WorkloadIdentity identity, Instant now,
      Instant notAfter) {
    try {
      PublicKey publicKey = new JcaPKCS10CertificationRequest(request).setProvider(PROVIDER).getPublicKey();
      boolean rsa = checkKey(publicKey);
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder = new X509v3CertificateBuilder(
          X500Name.getInstance(signing.getSubjectX500Principal().getEncoded()), serial(),
          Date.from(now.minus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS)),
          Date.from(notAfter.truncatedTo(ChronoUnit.SECONDS)), subject(identity), request.getSubjectPublicKeyInfo());
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(rsa
          ? KeyUsage.digitalSignature | KeyUsage.keyEncipherment : KeyUsage.digitalSignature));
      builder.addExtension(Extension.extendedKeyUsage, false,
          new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
      builder.addExtension(Extension.authorityKeyIdentifier, false,
          new AuthorityKeyIdentifier(extensions.createSubjectKeyIdentifier(signing.getPublicKey()).getKeyIdentifier()));
      builder.addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(publicKey));
      builder.addExtension(Extension.subjectAlternativeName, false, alternativeNames(identity));
      String algorithm = key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
      return new JcaX509CertificateConverter().getCertificate(
          builder.build(new JcaContentSignerBuilder(algorithm).setSecureRandom(random).build(key)));
    } catch (IOException | OperatorCreationException | java.security.GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign a certificate for " + identity, e);
    }
  }

  /** EC P-256/384 or RSA of 2048 bits or more; true for RSA. */
  private static boolean checkKey(PublicKey key) {
    if (key instanceof RSAPublicKey rsa) {
      if (rsa.getModulus().bitLength() < 2048) {
        throw new FieldError("csr", "RSA " + rsa.getModulus().bitLength() + " bits", "an EC P-256 key or RSA of >= 2048 bits");
      }
      return true;
    }
    if (key instanceof ECPublicKey ec) {
      int bits = ec.getParams().getCurve().getField().getFieldSize();
      if (bits != 256 && bits != 384) {
        throw new FieldError("csr", "EC " + bits + " bits", "an EC P-256 or P-384 key");
      }
      return false;
    }
    throw new FieldError("csr", key.getAlgorithm(), "an EC or RSA key");
  }

  private BigInteger serial() {
    byte[] bytes = new byte[16];
    BigInteger serial;
    do {
      random.nextBytes(bytes);
      serial = new BigInteger(1, bytes);
    } while (serial.signum() == 0);
    return serial;
  }

  private static GeneralNames alternativeNames(WorkloadIdentity identity) {
    List<GeneralName> names = new ArrayList<>();
    names.add(new GeneralName(GeneralName.uniformResourceIdentifier, identity.spiffeId()));
    for (String dns : new String[] {identity.service(), identity.service() + "." + identity.namespace()
        + ".svc.cluster.local"}) {
      if (dns.matches("([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*")
          && dns.length() <= 253) {
        names.add(new GeneralName(GeneralName.dNSName, dns));
      }
    }
    return new GeneralNames(names.toArray(GeneralName[]::new));
  }

  private static X500Name subject(WorkloadIdentity identity) {
    return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, cut(identity.trustDomain()))
        .addRDN(BCStyle.OU, cut(identity.namespace())).addRDN(BCStyle.CN, cut(identity.service())).build();
  }

  private static String cut(String value) {
    return value.length() <= 64 ? value : value.substring(0, 64);
  }

  private static String excerpt(String text) {
    String flat = text.strip().replaceAll("\\s+", " ");
    return flat.length() <= 40 ? flat : flat.substring(0, 40) + "...";
  }
}
