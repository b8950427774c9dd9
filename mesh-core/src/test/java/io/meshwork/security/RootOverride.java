package io.meshwork.security;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A CA that issues with another but names a root and trust anchors of the test's choosing: what a
 * faulty authority of a user's own could claim.
 */
final class RootOverride extends ForwardingAuthority {

  private final X509Certificate root;
  private final List<X509Certificate> anchors;

  /** {@code anchors} null: the default, the root alone. */
  RootOverride(CertificateAuthority delegate, X509Certificate root, List<X509Certificate> anchors) {
    super(delegate);
    this.root = root;
    this.anchors = anchors;
  }

  @Override
  public X509Certificate rootCertificate() {
    return root;
  }

  @Override
  public List<X509Certificate> trustAnchors() {
    return anchors == null ? List.of(root) : anchors;
  }

  @Override
  public String rootCertificatePem() {
    return PemFiles.toPem(root);
  }
}
