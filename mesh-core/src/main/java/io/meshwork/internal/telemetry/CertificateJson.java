package io.meshwork.internal.telemetry;

import io.meshwork.security.CertificateBundle;
import io.meshwork.security.MtlsMode;
import io.meshwork.security.SpiffeIds;
import io.meshwork.security.WorkloadIdentity;
import io.meshwork.transport.TlsCredentials;
import java.security.cert.X509Certificate;
import java.time.Instant;

/**
 * The admin endpoint's {@code /certificate}: the mTLS mode and this workload's certificate in use
 * now (identity, serial, issuer, validity, seconds left, whether its own revocation list names it),
 * and the trust anchors it verifies peers with. What the dashboard's certificates page shows.
 */
final class CertificateJson {

  private CertificateJson() {}

  /** With {@code credentials} null when mTLS is disabled. */
  static String of(MtlsMode mode, TlsCredentials credentials) {
    StringBuilder out = new StringBuilder(512);
    Json json = new Json(out).field("mtls", mode.name());
    if (credentials == null) {
      return json.raw("certificate", "null").raw("trust_anchors", "[]").end().toString();
    }
    CertificateBundle bundle = credentials.current();
    Instant now = credentials.clock().instant();
    X509Certificate leaf = bundle.certificate();
    StringBuilder certificate = new StringBuilder();
    describe(certificate, leaf, now)
        .field("identity", SpiffeIds.identityOf(leaf).map(WorkloadIdentity::spiffeId).orElse(null))
        .field("revoked", credentials.isRevoked(leaf.getSerialNumber()))
        .field("chain_length", bundle.certificateChain().size()).field("generation", credentials.generation()).end();
    StringBuilder anchors = new StringBuilder("[");
    for (X509Certificate anchor : bundle.trustAnchors()) {
      if (anchors.length() > 1) {
        anchors.append(',');
      }
      describe(anchors, anchor, now).end();
    }
    return json.field("trust_domain", credentials.trustDomain()).raw("certificate", certificate.toString())
        .raw("trust_anchors", anchors.append(']').toString()).end().toString();
  }

  /** The fields every certificate has; the caller adds more and ends the object. */
  private static Json describe(StringBuilder out, X509Certificate certificate, Instant now) {
    Instant notBefore = certificate.getNotBefore().toInstant();
    Instant notAfter = certificate.getNotAfter().toInstant();
    return new Json(out).field("serial", certificate.getSerialNumber().toString(16))
        .field("subject", certificate.getSubjectX500Principal().getName())
        .field("issuer", certificate.getIssuerX500Principal().getName())
        .field("not_before", notBefore.toString()).field("not_after", notAfter.toString())
        .field("lifetime_seconds", notAfter.getEpochSecond() - notBefore.getEpochSecond())
        .field("expires_in_seconds", notAfter.getEpochSecond() - now.getEpochSecond());
  }
}
