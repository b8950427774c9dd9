package io.meshwork.internal;

import io.meshwork.security.CertificateAuthority;
import io.meshwork.security.CertificateBundle;
import io.meshwork.security.CertificateRenewal;
import io.meshwork.security.IssuedCertificate;
import io.meshwork.security.WorkloadIdentity;
import io.meshwork.time.Scheduler;
import io.meshwork.transport.TlsCredentials;
import java.math.BigInteger;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.random.RandomGenerator;

/**
 * This mesh's own certificate from the built-in CA, renewed by a {@link CertificateRenewal} at half
 * its lifetime (jittered by up to 10% either way) on the mesh's scheduler, so a FakeTicker drives
 * rotation in tests. Each renewal also takes the CA's trust anchors as they are then, so a root
 * rotation ({@link io.meshwork.security.RootRotation}) reaches the mesh at its next renewal. Transports
 * read {@link #current()} for each new connection: existing connections finish on the old certificate.
 * A failed renewal is retried every tenth of the lifetime, well before the old one expires.
 */
final class CertificateRotator implements TlsCredentials, AutoCloseable {

  private final CertificateAuthority authority;
  private final WorkloadIdentity identity;
  private final CertificateRenewal renewal;

  /** Issues the first certificate at once (a failure fails the mesh's build) and schedules its renewal. */
  CertificateRotator(CertificateAuthority authority, WorkloadIdentity identity, Duration ttl,
      Scheduler scheduler, RandomGenerator random) {
    this.authority = authority;
    this.identity = identity;
    Duration retry = ttl.dividedBy(10).isZero() ? Duration.ofNanos(1) : ttl.dividedBy(10);
    this.renewal = CertificateRenewal.builder(() -> CompletableFuture.completedFuture(issue(ttl)), scheduler)
        .name(identity.toString()).random(random).lifetime(ttl).retry(retry, retry).build();
    renewal.start(issue(ttl));
  }

  @Override
  public CertificateBundle current() {
    return renewal.current();
  }

  @Override
  public long generation() {
    return renewal.generation();
  }

  @Override
  public boolean isRevoked(BigInteger serial) {
    return authority.isRevoked(serial);
  }

  @Override
  public String trustDomain() {
    return identity.trustDomain();
  }

  @Override
  public void close() {
    renewal.close();
  }

  private CertificateBundle issue(Duration ttl) {
    IssuedCertificate issued = authority.issue(identity, ttl);
    return CertificateBundle.of(issued, authority);
  }
}
