package io.meshwork.netty.testing;

import io.meshwork.security.CertificateAuthority;
import io.meshwork.security.CertificateBundle;
import io.meshwork.security.KeyAlgorithm;
import io.meshwork.security.WorkloadIdentity;
import io.meshwork.transport.TlsCredentials;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Credentials for transport tests: a certificate of one CA, rotated when the test says so, and a
 * record of every serial whose revocation the transport checked (the certificates peers presented).
 */
public final class TestCredentials implements TlsCredentials {

  private final CertificateAuthority authority;
  private final WorkloadIdentity identity;
  private final KeyAlgorithm algorithm;
  private final Set<BigInteger> checked = ConcurrentHashMap.newKeySet();
  private volatile CertificateBundle current;
  private volatile long generation;
  private volatile Clock clock = Clock.systemUTC();

  private TestCredentials(CertificateAuthority authority, WorkloadIdentity identity, KeyAlgorithm algorithm) {
    this.authority = authority;
    this.identity = identity;
    this.algorithm = algorithm;
    this.current = issue();
  }

  /** An ECDSA certificate of {@code service} in namespace default. */
  public static TestCredentials of(CertificateAuthority authority, String service) {
    return of(authority, service, KeyAlgorithm.EC_P256);
  }

  /** A certificate of {@code service} in namespace default with a key of {@code algorithm}. */
  public static TestCredentials of(CertificateAuthority authority, String service, KeyAlgorithm algorithm) {
    String domain = authority.trustDomain().orElse("cluster.local");
    return new TestCredentials(authority, WorkloadIdentity.of(domain, "default", service), algorithm);
  }

  /** These credentials, judging peer certificates' validity by {@code clock} (a FakeTicker's). */
  public TestCredentials clockedBy(Clock clock) {
    this.clock = clock;
    return this;
  }

  /** Issues a new certificate, as a renewal would; returns its serial. */
  public BigInteger rotate() {
    current = issue();
    generation++;
    return serial();
  }

  /** The serial of the current certificate. */
  public BigInteger serial() {
    return current.certificate().getSerialNumber();
  }

  /** The serials whose revocation the transport checked. */
  public Set<BigInteger> checkedSerials() {
    return Set.copyOf(checked);
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
    checked.add(serial);
    return authority.isRevoked(serial);
  }

  @Override
  public Clock clock() {
    return clock;
  }

  @Override
  public String trustDomain() {
    return identity.trustDomain();
  }

  private CertificateBundle issue() {
    return CertificateBundle.of(authority.issue(identity, Duration.ofHours(1), algorithm), authority);
  }
}
