package io.meshwork.netty.testing;

import io.meshwork.security.CertificateAuthority;
import io.meshwork.security.IssuedCertificate;
import io.meshwork.security.KeyAlgorithm;
import io.meshwork.security.WorkloadIdentity;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A CA that remembers every serial it was asked about. The transport asks whether a peer's
 * certificate is revoked at each handshake, so this is the set of certificates peers presented.
 */
public final class RecordingAuthority implements CertificateAuthority {

  private final CertificateAuthority delegate;
  private final Set<BigInteger> checked = ConcurrentHashMap.newKeySet();

  /** Records the revocation checks made of {@code delegate}. */
  public RecordingAuthority(CertificateAuthority delegate) {
    this.delegate = delegate;
  }

  /** The serials whose revocation was checked: the certificates presented in handshakes. */
  public Set<BigInteger> checkedSerials() {
    return Set.copyOf(checked);
  }

  @Override
  public boolean isRevoked(BigInteger serial) {
    if (serial != null) {
      checked.add(serial);
    }
    return delegate.isRevoked(serial);
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
  public X509Certificate rootCertificate() {
    return delegate.rootCertificate();
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
