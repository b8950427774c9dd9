package io.meshwork.internal;

import io.meshwork.security.CertificateBundle;
import io.meshwork.transport.TlsCredentials;
import java.math.BigInteger;

/** Credentials a workload brought itself (PEM files): no rotation, no revocation list. */
final class StaticCredentials implements TlsCredentials {

  private final CertificateBundle bundle;
  private final String trustDomain;

  StaticCredentials(CertificateBundle bundle, String trustDomain) {
    this.bundle = bundle;
    this.trustDomain = trustDomain;
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
    return false;
  }

  @Override
  public String trustDomain() {
    return trustDomain;
  }
}
