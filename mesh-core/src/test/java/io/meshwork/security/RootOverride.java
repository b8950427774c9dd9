package io.meshwork.security;

import java.math.BigInteger;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A CA that issues with another but names a root and trust anchors of the test's choosing: what a
 * faulty authority of a user's own could claim.
 */
final class RootOverride implements CertificateAuthority {

  private final CertificateAuthority delegate;
  private final X509Certificate root;
  private final List<X509Certificate> anchors;

  /** {@code anchors} null: the default, the root alone. */
  RootOverride(CertificateAuthority delegate, X509Certificate root, List<X509Certificate> anchors) {
    this.delegate = delegate;
    this.root = root;
    this.anchors = anchors;
  }

  @Override
  public IssuedCertificate issue(WorkloadIdentity identity, Duration ttl, KeyAlgorithm algorithm) {
    return delegate.issue(identity, ttl, algorithm);
  }

  @Override
  public void revoke(BigInteger serial) {
    delegate.revoke(serial);
  }

  @Override
  public boolean isRevoked(BigInteger serial) {
    return delegate.isRevoked(serial);
  }

  @Override
  public X509Certificate rootCertificate() {
    return root;
  }

  @Override
  public List<X509Certificate> trustAnchors() {
    return anchors == null ? CertificateAuthority.super.trustAnchors() : anchors;
  }

  @Override
  public String rootCertificatePem() {
    return PemFiles.toPem(root);
  }

  @Override
  public Optional<String> trustDomain() {
    return delegate.trustDomain();
  }

  @Override
  public String crlPem() {
    return delegate.crlPem();
  }

  @Override
  public void save(Path directory) {
    delegate.save(directory);
  }
}
