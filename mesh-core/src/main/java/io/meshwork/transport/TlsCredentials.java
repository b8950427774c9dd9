package io.meshwork.transport;

import io.meshwork.security.CertificateBundle;
import java.math.BigInteger;
import java.time.Clock;

/**
 * What a transport needs for mutual TLS: this workload's current key and certificate chain, the
 * trust anchors to verify peers with, and which serials are revoked. The credentials may rotate:
 * a transport uses {@link #current()} for each new connection and keeps existing ones, so a
 * rotation drops no request. {@link #generation()} changes with every rotation, for caching.
 */
public interface TlsCredentials {

  /** The key, chain and trust anchors to use for a new connection now. */
  CertificateBundle current();

  /** A number that changes whenever {@link #current()} does. */
  long generation();

  /** Whether a peer certificate with this serial must be refused. */
  boolean isRevoked(BigInteger serial);

  /** The trust domain peers' SPIFFE IDs must belong to. */
  String trustDomain();

  /**
   * The wall clock peer certificates' validity is judged by, at every handshake and every resumed
   * session; the system clock unless a test says otherwise.
   */
  default Clock clock() {
    return Clock.systemUTC();
  }
}
