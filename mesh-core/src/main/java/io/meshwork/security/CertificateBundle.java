package io.meshwork.security;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a workload needs for mutual TLS: its private key, its certificate chain (leaf first), and the
 * roots it trusts to verify peers. Load it from PEM files when certificates come from elsewhere
 * (SPIRE, cert-manager, a company CA), or wrap what a {@link CertificateAuthority} issued.
 */
public final class CertificateBundle {

  private final PrivateKey privateKey;
  private final List<X509Certificate> chain;
  private final List<X509Certificate> trustAnchors;

  private CertificateBundle(PrivateKey privateKey, List<X509Certificate> chain, List<X509Certificate> trustAnchors) {
    this.privateKey = privateKey;
    this.chain = List.copyOf(chain);
    this.trustAnchors = List.copyOf(trustAnchors);
  }

  /**
   * The bundle in three PEM files: the private key, the certificate chain (leaf first), and the trust
   * bundle (one or more root certificates). The files may be the same one.
   *
   * @throws InvalidCertificateException naming the file, when a file cannot be read, holds no
   *     certificate or key, or the key does not match the leaf
   */
  public static CertificateBundle load(Path privateKeyPem, Path certificateChainPem, Path trustBundlePem) {
    Objects.requireNonNull(privateKeyPem, "privateKeyPem");
    Objects.requireNonNull(certificateChainPem, "certificateChainPem");
    Objects.requireNonNull(trustBundlePem, "trustBundlePem");
    List<X509Certificate> chain = PemFiles.readCertificates(certificateChainPem);
    PrivateKey key = PemFiles.readPrivateKey(privateKeyPem);
    List<X509Certificate> trust = PemFiles.readCertificates(trustBundlePem);
    KeyPairCheck.requireMatch(key, chain.get(0), privateKeyPem);
    return new CertificateBundle(key, chain, trust);
  }

  /**
   * A bundle of a key and chain held in memory, such as a certificate a control plane signed for a
   * key this process generated (the key never touched a file).
   *
   * @throws InvalidCertificateException when the chain or the anchors are empty, or the key does not
   *     match the leaf
   */
  public static CertificateBundle of(PrivateKey privateKey, List<X509Certificate> certificateChain,
      List<X509Certificate> trustAnchors) {
    Objects.requireNonNull(privateKey, "privateKey");
    if (certificateChain == null || certificateChain.isEmpty()) {
      throw new InvalidCertificateException("certificateChain: empty (expected: the leaf, then its issuers)", null);
    }
    if (trustAnchors == null || trustAnchors.isEmpty()) {
      throw new InvalidCertificateException("trustAnchors: empty (expected: at least one root)", null);
    }
    KeyPairCheck.requireMatch(privateKey, certificateChain.get(0), null);
    return new CertificateBundle(privateKey, certificateChain, trustAnchors);
  }

  /**
   * The certificate {@code issued} and its key, trusting {@link CertificateAuthority#trustAnchors()
   * authority's trust anchors} as they are now: its root, or the old and the new root while a root
   * rotation overlaps them.
   *
   * @throws InvalidCertificateException when the authority names no anchor, an anchor that is no CA
   *     certificate, or anchors none of which issued {@code issued} (its own workloads would refuse
   *     each other)
   */
  public static CertificateBundle of(IssuedCertificate issued, CertificateAuthority authority) {
    Objects.requireNonNull(issued, "issued");
    Objects.requireNonNull(authority, "authority");
    List<X509Certificate> anchors = authority.trustAnchors();
    if (anchors == null || anchors.isEmpty()) {
      throw new InvalidCertificateException("authority.trustAnchors(): " + anchors
          + " (expected: at least the root that signs, " + TrustAnchors.name(authority.rootCertificate()) + ")", null);
    }
    for (X509Certificate anchor : anchors) {
      TrustAnchors.requireCa("authority.trustAnchors()", anchor);
    }
    if (!TrustAnchors.issuedUnder(issued.chain(), anchors)) {
      X509Certificate top = issued.chain().get(issued.chain().size() - 1);
      throw new InvalidCertificateException("authority.trustAnchors(): " + describe(anchors)
          + " (expected: the root that issued the certificate of " + issued.identity() + ", whose chain ends at '"
          + TrustAnchors.name(top) + "' serial " + TrustAnchors.serial(top) + ")", null);
    }
    return new CertificateBundle(issued.privateKey(), issued.chain(), anchors);
  }

  /** The private key of the leaf certificate. */
  public PrivateKey privateKey() {
    return privateKey;
  }

  /** The leaf certificate, which carries the workload's identity. */
  public X509Certificate certificate() {
    return chain.get(0);
  }

  /** The leaf, then its issuers: what this workload presents in a handshake. */
  public List<X509Certificate> certificateChain() {
    return chain;
  }

  /** The roots that verify peers' certificates. */
  public List<X509Certificate> trustAnchors() {
    return trustAnchors;
  }

  /**
   * Whether {@code chain} (a peer's leaf first, then its issuers) is signed, link by link, up to one
   * of this bundle's trust anchors. Signatures only: a TLS handshake also checks dates, revocation,
   * key usage and identity.
   */
  public boolean trusts(List<X509Certificate> chain) {
    Objects.requireNonNull(chain, "chain");
    return !chain.isEmpty() && TrustAnchors.issuedUnder(chain, trustAnchors);
  }

  /** The SPIFFE identity in the leaf certificate, when it has one. */
  public Optional<WorkloadIdentity> identity() {
    return SpiffeIds.identityOf(certificate());
  }

  private static String describe(List<X509Certificate> anchors) {
    StringBuilder text = new StringBuilder("[");
    for (X509Certificate anchor : anchors) {
      text.append(text.length() > 1 ? ", " : "").append('\'').append(TrustAnchors.name(anchor))
          .append("' serial ").append(TrustAnchors.serial(anchor));
    }
    return text.append(']').toString();
  }

  @Override
  public String toString() {
    return "CertificateBundle{leaf=" + certificate().getSubjectX500Principal().getName()
        + ", identity=" + identity().map(WorkloadIdentity::spiffeId).orElse("(none)")
        + ", notAfter=" + certificate().getNotAfter().toInstant()
        + ", chain=" + chain.size() + ", trustAnchors=" + trustAnchors.size() + "}";
  }
}
