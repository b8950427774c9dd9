package io.meshwork.security;

import java.math.BigInteger;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A CA that forwards everything to another: tests extend it and override only what they observe
 * (the revocation checks, the certificates issued).
 */
public abstract class ForwardingAuthority implements CertificateAuthority {

  private final CertificateAuthority delegate;

  /** Forwards to {@code delegate}. */
  protected ForwardingAuthority(CertificateAuthority delegate) {
    this.delegate = delegate;
  }

  @Override
  public IssuedCertificate issue(WorkloadIdentity identity, Duration ttl, KeyAlgorithm algorithm) {
    return delegate.issue(identity, ttl, algorithm);
  }

  @Override
  public boolean isRevoked(BigInteger serial) {
    return delegate.isRevoked(serial);
  }

  @Override
  public void revoke(BigInteger serial) {
    delegate.revoke(serial);
  }

  @Override
  public X509Certificate rootCertificate() {
    return delegate.rootCertificate();
  }

  @Override
  public List<X509Certificate> trustAnchors() {
    return delegate.trustAnchors();
  }

  @Override
  public String rootCertificatePem() {
    return delegate.rootCertificatePem();
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
