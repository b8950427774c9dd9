package io.meshwork.controlplane.server.ca;

import io.meshwork.security.CertificateAuthority;
import io.meshwork.security.CertificateBundle;
import io.meshwork.security.CertificateRenewal;
import io.meshwork.security.WorkloadIdentity;
import io.meshwork.time.SystemScheduler;
import io.meshwork.transport.TlsCredentials;
import java.math.BigInteger;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * The control plane's own certificate, for its mTLS port and its health checks: issued by the fleet's
 * CA for {@code spiffe://<trust-domain>/ns/meshwork-system/sa/mesh-controlplane} and renewed by a
 * {@link CertificateRenewal} at about half its 24-hour lifetime, retried with backoff when the CA
 * fails. Peers are refused when the fleet's revocations name them.
 */
public final class ServerCredentials implements TlsCredentials, AutoCloseable {

  /** The control plane's namespace in SPIFFE IDs. */
  public static final String NAMESPACE = "meshwork-system";

  /** The control plane's service name in SPIFFE IDs. */
  public static final String SERVICE = "mesh-controlplane";

  private static final Duration LIFETIME = Duration.ofHours(24);

  private final CertificateAuthority authority;
  private final WorkloadIdentity identity;
  private final Predicate<BigInteger> revoked;
  private final SystemScheduler timer = new SystemScheduler("meshwork-controlplane-certificate");
  private final CertificateRenewal renewal;

  /** Credentials from {@code authority}; {@code revoked} says which serials the fleet revoked. */
  public ServerCredentials(CertificateAuthority authority, Predicate<BigInteger> revoked) {
    this.authority = authority;
    this.identity = WorkloadIdentity.of(authority.trustDomain().orElse("cluster.local"), NAMESPACE, SERVICE);
    this.revoked = revoked;
    this.renewal = CertificateRenewal.builder(() -> CompletableFuture.completedFuture(issue()), timer)
        .name(identity.toString()).lifetime(LIFETIME).retry(Duration.ofSeconds(1), Duration.ofMinutes(5))
        .build();
    try {
      renewal.start(issue());
    } catch (RuntimeException e) {
      timer.close();
      throw e;
    }
  }

  /** The identity the control plane presents. */
  public WorkloadIdentity identity() {
    return identity;
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
    return revoked.test(serial);
  }

  @Override
  public String trustDomain() {
    return identity.trustDomain();
  }

  private CertificateBundle issue() {
    return CertificateBundle.of(authority.issue(identity, LIFETIME), authority);
  }

  @Override
  public void close() {
    renewal.close();
    timer.close();
  }
}
