package io.meshwork.security;

import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * A certificate a {@link CertificateAuthority} issued, with the private key generated for it. The
 * key never leaves this object unless asked for; {@link #toString()} does not print it.
 */
public final class IssuedCertificate {

  private final WorkloadIdentity identity;
  private final KeyAlgorithm keyAlgorithm;
  private final PrivateKey privateKey;
  private final List<X509Certificate> chain;

  IssuedCertificate(WorkloadIdentity identity, KeyAlgorithm keyAlgorithm, PrivateKey privateKey,
      List<X509Certificate> chain) {
    this.identity = identity;
    this.keyAlgorithm = keyAlgorithm;
    this.privateKey = privateKey;
    this.chain = List.copyOf(chain);
  }

  /** The identity the certificate carries as its URI SAN. */
  public WorkloadIdentity identity() {
    return identity;
  }

  /** The algorithm of the key pair generated for the certificate. */
  public KeyAlgorithm keyAlgorithm() {
    return keyAlgorithm;
  }

  /** The private key of the certificate. */
  public PrivateKey privateKey() {
    return privateKey;
  }

  /** The leaf certificate. */
  public X509Certificate certificate() {
    return chain.get(0);
  }

  /** The leaf, then the CA certificates up to and including the root: what a TLS peer presents. */
  public List<X509Certificate> chain() {
    return chain;
  }

  /** The leaf's serial number, the handle for {@link CertificateAuthority#revoke}. */
  public BigInteger serial() {
    return certificate().getSerialNumber();
  }

  /** The start of the leaf's validity, backdated a minute for peers with a lagging clock. */
  public Instant notBefore() {
    return certificate().getNotBefore().toInstant();
  }

  /** The end of the leaf's validity. */
  public Instant notAfter() {
    return certificate().getNotAfter().toInstant();
  }

  /** The private key as an unencrypted PKCS#8 PEM block. Write it only to owner-only files. */
  public String privateKeyPem() {
    return PemFiles.toPem(privateKey);
  }

  /** The leaf certificate as one PEM block. */
  public String certificatePem() {
    return PemFiles.toPem(certificate());
  }

  /** The whole {@link #chain()} as PEM blocks, leaf first. */
  public String chainPem() {
    return PemFiles.toPem(chain);
  }

  @Override
  public String toString() {
    return "IssuedCertificate{identity=" + identity + ", keyAlgorithm=" + keyAlgorithm
        + ", serial=" + serial().toString(16) + ", notBefore=" + notBefore()
        + ", notAfter=" + notAfter() + "}";
  }
}
