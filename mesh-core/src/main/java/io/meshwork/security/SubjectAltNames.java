package io.meshwork.security;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;

/**
 * Reads a certificate's subject alternative names from the raw extension. The JDK's own reader
 * refuses the whole extension when one name is not a host name it likes (a trust domain such as
 * {@code a.} or {@code my_domain} is valid SPIFFE yet such a name), so an identity would vanish.
 */
final class SubjectAltNames {

  private SubjectAltNames() {}

  /** The URI names, in certificate order; empty when there are none or the extension is malformed. */
  static List<String> uris(X509Certificate certificate) {
    return names(certificate, GeneralName.uniformResourceIdentifier);
  }

  /** The DNS names, in certificate order; empty when there are none or the extension is malformed. */
  static List<String> dnsNames(X509Certificate certificate) {
    return names(certificate, GeneralName.dNSName);
  }

  /**
   * Whether {@code name} is a host name every X.509 reader accepts as a DNS SAN: dot-separated labels
   * of 1..63 letters, digits and inner hyphens, 253 characters at most.
   */
  static boolean isHostName(String name) {
    if (name.isEmpty() || name.length() > 253) {
      return false;
    }
    int labelStart = 0;
    for (int i = 0; i <= name.length(); i++) {
      if (i == name.length() || name.charAt(i) == '.') {
        int length = i - labelStart;
        if (length == 0 || length > 63 || name.charAt(labelStart) == '-' || name.charAt(i - 1) == '-') {
          return false;
        }
        labelStart = i + 1;
      } else {
        char c = name.charAt(i);
        boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
        if (!ok) {
          return false;
        }
      }
    }
    return true;
  }

  private static List<String> names(X509Certificate certificate, int tag) {
    List<String> found = new ArrayList<>();
    try {
      byte[] extension = certificate.getExtensionValue(Extension.subjectAlternativeName.getId());
      if (extension == null) {
        return found;
      }
      GeneralNames names = GeneralNames.getInstance(ASN1OctetString.getInstance(extension).getOctets());
      for (GeneralName name : names.getNames()) {
        if (name.getTagNo() == tag && name.getName() instanceof ASN1String text) {
          found.add(text.getString());
        }
      }
      return found;
    } catch (RuntimeException e) {
      // A malformed extension names nothing we can trust.
      return List.of();
    }
  }
}
