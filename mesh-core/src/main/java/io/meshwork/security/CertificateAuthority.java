package io.meshwork.security;

import java.math.BigInteger;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Issues the short-lived certificates that carry workload identities, and keeps the list of those
 * it revoked. Thread-safe.
 *
 * <pre>{@code
 * CertificateAuthority ca = CertificateAuthority.create("cluster.local");
 * IssuedCertificate cert = ca.issue(WorkloadIdentity.of("cluster.local", "prod", "api"), Duration.ofHours(24));
 * }</pre>
 *
 * <p>Every issued certificate carries the identity's SPIFFE ID as its URI SAN and the DNS SANs
 * {@code <service>} and {@code <service>.<namespace>.svc.cluster.local} (each when it is a valid
 * host name: {@code my_service} is a fine identity but no DNS name), is usable for both TLS client
 * and server authentication, and has a random 128-bit serial.
 */
public interface CertificateAuthority {

  /** The lifetime of a certificate when none is given: 24 hours. */
  Duration DEFAULT_TTL = Duration.ofHours(24);

  /** The name {@link #save} gives the CA certificate file. */
  String CERTIFICATE_FILE = "ca.pem";

  /** The name {@link #save} gives the CA private key file. */
  String PRIVATE_KEY_FILE = "ca-key.pem";

  /** A new CA with a fresh ECDSA P-256 root valid for ten years, on the system clock. */
  static CertificateAuthority create(String trustDomain) {
    return create(trustDomain, Clock.systemUTC());
  }

  /**
   * A new CA for {@code trustDomain} with a fresh ECDSA P-256 root ({@code CN=Meshwork Root CA,
   * O=<trustDomain>}) valid for ten years from {@code clock}'s now. Issues only identities of that
   * trust domain.
   */
  static CertificateAuthority create(String trustDomain, Clock clock) {
    String domain = WorkloadIdentity.of(trustDomain, "default", "default").trustDomain();
    Objects.requireNonNull(clock, "clock");
    SecureRandom random = new SecureRandom();
    return new BouncyCastleCertificateAuthority(
        RootCertificateFactory.create(domain, clock.instant(), random), clock, random);
  }

  /** The CA whose certificate and key are in these PEM files, on the system clock. */
  static CertificateAuthority load(Path certificatePem, Path privateKeyPem) {
    return load(certificatePem, privateKeyPem, Clock.systemUTC());
  }

  /**
   * The CA whose certificate and private key are in these PEM files. The certificate file holds the
   * signing certificate first, optionally followed by its issuers up to the root (for a CA that signs
   * with an intermediate). When the signing certificate names a trust domain ({@code spiffe://<td>}
   * URI SAN, as {@link #create} writes it), only identities of that domain are issued.
   *
   * @throws InvalidCertificateException naming the file, when a file cannot be read or is not PEM,
   *     the certificate is not a CA valid now, the chain does not link, or the key does not match
   */
  static CertificateAuthority load(Path certificatePem, Path privateKeyPem, Clock clock) {
    Objects.requireNonNull(certificatePem, "certificatePem");
    Objects.requireNonNull(privateKeyPem, "privateKeyPem");
    Objects.requireNonNull(clock, "clock");
    return new BouncyCastleCertificateAuthority(
        CertificateAuthorityFiles.load(certificatePem, privateKeyPem, clock.instant()), clock, new SecureRandom());
  }

  /** An ECDSA P-256 certificate for {@code identity}, valid for {@link #DEFAULT_TTL}. */
  default IssuedCertificate issue(WorkloadIdentity identity) {
    return issue(identity, DEFAULT_TTL);
  }

  /**
   * An ECDSA P-256 certificate for {@code identity}, valid from a minute ago (for peers whose clock
   * lags) until {@code ttl} from now.
   *
   * @throws IllegalArgumentException when the identity is null or of another trust domain, or
   *     {@code ttl} is not positive or would outlive the CA certificate
   */
  default IssuedCertificate issue(WorkloadIdentity identity, Duration ttl) {
    return issue(identity, ttl, KeyAlgorithm.EC_P256);
  }

  /** Like {@link #issue(WorkloadIdentity, Duration)}, with a key pair of {@code algorithm}. */
  IssuedCertificate issue(WorkloadIdentity identity, Duration ttl, KeyAlgorithm algorithm);

  /**
   * Revokes the certificate with {@code serial}: {@link #isRevoked} is true for it from now on and
   * {@link #crlPem()} lists it. Revoking twice is harmless. Revocations live in memory only.
   *
   * @throws IllegalArgumentException when {@code serial} is null or not positive
   */
  void revoke(BigInteger serial);

  /** Whether {@link #revoke} was called for {@code serial}; false for null. */
  boolean isRevoked(BigInteger serial);

  /** The root certificate, which every peer must trust. */
  X509Certificate rootCertificate();

  /**
   * The roots peers' certificates are verified against: the workloads of this CA trust exactly these.
   * Just {@link #rootCertificate()} unless the root is being replaced; more than one during a root
   * rotation ({@link RootRotation}), when certificates of the old and of the new root must both be
   * accepted. A mesh reads them again at each renewal of its certificate.
   */
  default List<X509Certificate> trustAnchors() {
    return List.of(rootCertificate());
  }

  /** The root certificate as one PEM block: the trust bundle to hand to peers. */
  String rootCertificatePem();

  /** The trust domain this CA issues for, when it is known; any trust domain otherwise. */
  Optional<String> trustDomain();

  /** A freshly signed X.509 CRL of every revoked serial, as one PEM block. */
  String crlPem();

  /**
   * Writes the CA certificate chain to {@code directory/}{@value #CERTIFICATE_FILE} and the private
   * key to {@code directory/}{@value #PRIVATE_KEY_FILE}, creating the directory if needed. The key
   * file is created readable and writable by its owner only ({@code rw-------}) and replaced
   * atomically; the key is never logged. Revocations are not saved.
   *
   * @throws java.io.UncheckedIOException naming the file that could not be written
   */
  void save(Path directory);
}
