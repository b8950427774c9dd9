package io.meshwork.controlplane.server;

import java.io.StringWriter;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** Certificate signing requests made in a test, as a workload (or an attacker) would. */
final class Csrs {

  private Csrs() {}

  static KeyPair keys() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  /** A CSR for {@code spiffeId}, signed by {@code keys}; {@code signer} signs it instead when not null. */
  static String pem(String spiffeId, KeyPair keys, KeyPair signer) throws Exception {
    ExtensionsGenerator extensions = new ExtensionsGenerator();
    if (spiffeId != null) {
      extensions.addExtension(Extension.subjectAlternativeName, false,
          new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, spiffeId)));
    }
    var builder = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=test"), keys.getPublic());
    if (spiffeId != null) {
      builder.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate());
    }
    var request = builder.build(new JcaContentSignerBuilder("SHA256withECDSA")
        .build((signer != null ? signer : keys).getPrivate()));
    StringWriter pem = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
      writer.writeObject(request);
    }
    return pem.toString();
  }

  /** {@code text} as a JSON string literal. */
  static String json(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\r", "") + "\"";
  }
}
