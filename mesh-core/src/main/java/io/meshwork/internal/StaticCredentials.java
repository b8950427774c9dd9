package io.meshwork.internal;

import io.meshwork.controlplane.RevocationListReloader;
import io.meshwork.security.CertificateBundle;
import io.meshwork.transport.TlsCredentials;
import java.math.BigInteger;

/**
 * Credentials a workload brought itself (PEM files): no rotation; revoked serials from the revocation
 * list it was given, if any.
 */
final class StaticCredentials implements TlsCredentials {

  private final CertificateBundle bundle;
  private final String trustDomain;
  private final RevocationListReloader revocations;

  StaticCredentials(CertificateBundle bundle, String trustDomain, RevocationListReloader revocations) {
    this.bundle = bundle;
    this.trustDomain = trustDomain;
    this.revocations = revocations;
  }

  @Override
  public CertificateBundle current() {
    return bundle;
  }

  @Override
  public long generation() {
    return 0;
  }

  @Override
  public boolean isRevoked(BigInteger serial) {
    return revocations != null && revocations.isRevoked(serial);
  }

  @Override
  public String trustDomain() {
    return trustDomain;
  }
}
