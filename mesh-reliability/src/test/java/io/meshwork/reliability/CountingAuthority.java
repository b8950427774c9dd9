package io.meshwork.reliability;

import io.meshwork.security.ForwardingAuthority;
import io.meshwork.security.CertificateAuthority;
import io.meshwork.security.IssuedCertificate;
import io.meshwork.security.KeyAlgorithm;
import io.meshwork.security.WorkloadIdentity;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/** A certificate authority that counts the certificates it issued to each service: the rotations. */
final class CountingAuthority extends ForwardingAuthority {

  private final Map<String, AtomicInteger> issued = new ConcurrentHashMap<>();

  CountingAuthority(CertificateAuthority delegate) {
    super(delegate);
  }

  /** Certificates issued to {@code service} so far. */
  int issued(String service) {
    AtomicInteger count = issued.get(service);
    return count == null ? 0 : count.get();
  }

  /** Waits until {@code service} has been issued {@code count} certificates, or fails after {@code bound}. */
  void awaitIssued(String service, int count, Duration bound) {
    long end = System.nanoTime() + bound.toNanos();
    while (issued(service) < count) {
      if (System.nanoTime() - end > 0) {
        throw new AssertionError(service + " was issued " + issued(service) + " certificates within " + bound
            + ", expected " + count);
      }
      LockSupport.parkNanos(1_000_000);
    }
  }

  @Override
  public IssuedCertificate issue(WorkloadIdentity identity, Duration ttl, KeyAlgorithm algorithm) {
    IssuedCertificate certificate = super.issue(identity, ttl, algorithm);
    issued.computeIfAbsent(identity.service(), s -> new AtomicInteger()).incrementAndGet();
    return certificate;
  }
}
