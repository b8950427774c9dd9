package io.meshwork.controlplane.server.ca;

import io.meshwork.security.CertificateAuthority;
import io.meshwork.security.CertificateBundle;
import io.meshwork.security.WorkloadIdentity;
import io.meshwork.transport.TlsCredentials;
import java.math.BigInteger;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The control plane's own certificate, for its mTLS port and its health checks: issued by the fleet's
 * CA for {@code spiffe://<trust-domain>/ns/meshwork-system/sa/mesh-controlplane} and renewed every
 * 12 hours (it lives 24). Peers are refused when the fleet's revocations name them.
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
  private final ScheduledExecutorService timer;
  private volatile CertificateBundle current;
  private volatile long generation;

  /** Credentials from {@code authority}; {@code revoked} says which serials the fleet revoked. */
  public ServerCredentials(CertificateAuthority authority, Predicate<BigInteger> revoked) {
    this.authority = authority;
    this.identity = WorkloadIdentity.of(authority.trustDomain().orElse("cluster.local"), NAMESPACE, SERVICE);
    this.revoked = revoked;
    this.current = issue();
    this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "meshwork-controlplane-certificate");
      thread.setDaemon(true);
      return thread;
    });
    timer.scheduleAtFixedRate(this::renew, LIFETIME.toHours() / 2, LIFETIME.toHours() / 2, TimeUnit.HOURS);
  }

  /** The identity the control plane presents. */
  public WorkloadIdentity identity() {
    return identity;
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
    return revoked.test(serial);
  }

  @Override
  public String trustDomain() {
    return identity.trustDomain();
  }

  private void renew() {
    current = issue();
    generation++;
  }

  private CertificateBundle issue() {
    return CertificateBundle.of(authority.issue(identity, LIFETIME), authority);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
