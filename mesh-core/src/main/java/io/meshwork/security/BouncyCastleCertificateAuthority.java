package io.meshwork.security;

import java.math.BigInteger;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The certificate authority, signing with Bouncy Castle over the JDK's own crypto providers. */
final class BouncyCastleCertificateAuthority implements CertificateAuthority {

  private static final Logger log = LoggerFactory.getLogger(CertificateAuthority.class);

  private final IssuerCredentials credentials;
  private final Clock clock;
  // One generator per CA: thread-safe, and seeded independently of every other CA in the process.
  private final SecureRandom random;
  private final LeafCertificateIssuer issuer;
  private final RevocationList revocations = new RevocationList();
  private final String rootPem;

  BouncyCastleCertificateAuthority(IssuerCredentials credentials, Clock clock, SecureRandom random) {
    this.credentials = credentials;
    this.clock = clock;
    this.random = random;
    this.issuer = new LeafCertificateIssuer(credentials, random);
    this.rootPem = PemFiles.toPem(credentials.rootCertificate());
    log.info("certificate authority ready: {}", this);
  }

  @Override
  public IssuedCertificate issue(WorkloadIdentity identity, Duration ttl, KeyAlgorithm algorithm) {
    if (identity == null) {
      throw new IllegalArgumentException("identity: null (expected: a workload identity)");
    }
    if (ttl == null || ttl.isZero() || ttl.isNegative()) {
      throw new IllegalArgumentException("ttl: " + ttl + " (expected: > 0)");
    }
    if (algorithm == null) {
      throw new IllegalArgumentException("algorithm: null (expected: one of EC_P256, RSA_2048)");
    }
    Optional<String> domain = credentials.trustDomain();
    if (domain.isPresent() && !domain.get().equals(identity.trustDomain())) {
      throw new IllegalArgumentException("identity: '" + identity + "' (expected: trust domain '"
          + domain.get() + "', the one this CA issues for)");
    }
    Instant now = clock.instant();
    Instant caNotAfter = credentials.notAfter();
    Instant notAfter;
    try {
      notAfter = now.plus(ttl);
    } catch (ArithmeticException | java.time.DateTimeException e) {
      notAfter = Instant.MAX;
    }
    if (notAfter.isAfter(caNotAfter)) {
      throw new IllegalArgumentException("ttl: " + ttl + " (expected: <= " + Duration.between(now, caNotAfter)
          + ", so the certificate expires no later than its CA, at " + caNotAfter + ")");
    }
    return issuer.issue(identity, now.minus(RootCertificateFactory.BACKDATE), notAfter, algorithm);
  }

  @Override
  public void revoke(BigInteger serial) {
    if (serial == null || serial.signum() <= 0) {
      throw new IllegalArgumentException("serial: " + serial + " (expected: a positive certificate serial)");
    }
    revocations.revoke(serial, clock.instant());
    log.info("revoked certificate serial {}", serial.toString(16));
  }

  @Override
  public boolean isRevoked(BigInteger serial) {
    return serial != null && revocations.isRevoked(serial);
  }

  @Override
  public X509Certificate rootCertificate() {
    return credentials.rootCertificate();
  }

  @Override
  public String rootCertificatePem() {
    return rootPem;
  }

  @Override
  public Optional<String> trustDomain() {
    return credentials.trustDomain();
  }

  @Override
  public String crlPem() {
    return revocations.toPem(credentials, clock.instant(), random);
  }

  @Override
  public void save(Path directory) {
    Objects.requireNonNull(directory, "directory");
    Path certificateFile = directory.resolve(CERTIFICATE_FILE);
    Path keyFile = directory.resolve(PRIVATE_KEY_FILE);
    CertificateAuthorityFiles.save(credentials, certificateFile, keyFile);
    log.info("saved CA certificate to {} and its private key (owner-only) to {}", certificateFile, keyFile);
  }

  @Override
  public String toString() {
    X509Certificate signing = credentials.signingCertificate();
    return "CertificateAuthority{subject=" + signing.getSubjectX500Principal().getName()
        + ", serial=" + signing.getSerialNumber().toString(16)
        + ", notAfter=" + signing.getNotAfter().toInstant()
        + ", trustDomain=" + credentials.trustDomain().orElse("(any)")
        + ", revoked=" + revocations.size() + "}";
  }
}
