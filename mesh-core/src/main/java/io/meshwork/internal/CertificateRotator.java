package io.meshwork.internal;

import io.meshwork.security.CertificateAuthority;
import io.meshwork.security.CertificateBundle;
import io.meshwork.security.IssuedCertificate;
import io.meshwork.security.WorkloadIdentity;
import io.meshwork.time.Scheduler;
import io.meshwork.transport.TlsCredentials;
import java.math.BigInteger;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This mesh's own certificate from the built-in CA, renewed at half its lifetime (jittered by up to
 * 10% either way) on the mesh's scheduler, so a FakeTicker drives rotation in tests. Transports read
 * {@link #current()} for each new connection: existing connections finish on the old certificate.
 * A failed renewal is retried after a tenth of the lifetime, well before the old one expires.
 */
final class CertificateRotator implements TlsCredentials, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(CertificateRotator.class);

  private final CertificateAuthority authority;
  private final WorkloadIdentity identity;
  private final Duration ttl;
  private final Scheduler scheduler;
  private final RandomGenerator random;
  private volatile CertificateBundle current;
  private volatile long generation;
  private volatile Scheduler.Cancellable renewal;
  private volatile boolean closed;

  CertificateRotator(CertificateAuthority authority, WorkloadIdentity identity, Duration ttl,
      Scheduler scheduler, RandomGenerator random) {
    this.authority = authority;
    this.identity = identity;
    this.ttl = ttl;
    this.scheduler = scheduler;
    this.random = random;
    this.current = issue();
    scheduleRenewal(halfLifeJittered());
  }

  @Override
  public CertificateBundle current() {
    return current;
  }

  @Override
  public long generation() {
    return generation;
  }

  @Override
  public boolean isRevoked(BigInteger serial) {
    return authority.isRevoked(serial);
  }

  @Override
  public String trustDomain() {
    return identity.trustDomain();
  }

  /** Renews now, as the timer would; returns the new serial. */
  BigInteger rotate() {
    // Transports read generation() before current(): the new bundle must be visible first.
    current = issue();
    generation++;
    log.info("{}: rotated certificate, serial {} valid until {}", identity, current.certificate().getSerialNumber(),
        current.certificate().getNotAfter().toInstant());
    return current.certificate().getSerialNumber();
  }

  @Override
  public void close() {
    closed = true;
    Scheduler.Cancellable pending = renewal;
    if (pending != null) {
      pending.cancel();
    }
  }

  private CertificateBundle issue() {
    IssuedCertificate issued = authority.issue(identity, ttl);
    return CertificateBundle.of(issued, authority);
  }

  private void renew() {
    if (closed) {
      return;
    }
    try {
      rotate();
      scheduleRenewal(halfLifeJittered());
    } catch (RuntimeException e) {
      log.error("{}: certificate renewal failed; retrying soon", identity, e);
      scheduleRenewal(ttl.toNanos() / 10);
    }
  }

  private long halfLifeJittered() {
    double jitter = 1 + (random.nextDouble() * 2 - 1) * 0.1;
    return (long) (ttl.toNanos() / 2 * jitter);
  }

  private void scheduleRenewal(long delayNanos) {
    if (!closed) {
      renewal = scheduler.schedule(this::renew, delayNanos, TimeUnit.NANOSECONDS);
    }
  }
}
