package io.meshwork.controlplane.server.state;

/**
 * A certificate the control plane's CA issued, as {@code GET /api/v1/certificates} lists it.
 *
 * @param serial the serial, hexadecimal
 * @param spiffeId the identity it carries
 * @param namespace the identity's namespace
 * @param serviceName the identity's service
 * @param notBefore when it became valid, ISO-8601
 * @param notAfter when it expires, ISO-8601
 * @param method {@code csr} (the workload's own key) or {@code issue} (a key made by the control plane)
 * @param revokedAt when it was revoked, ISO-8601, or null
 */
public record CertificateRecord(String serial, String spiffeId, String namespace, String serviceName,
    String notBefore, String notAfter, String method, String revokedAt) {

  /** This record, revoked at {@code when}. */
  public CertificateRecord revoked(String when) {
    return new CertificateRecord(serial, spiffeId, namespace, serviceName, notBefore, notAfter, method, when);
  }

  /** Whether it was revoked. */
  @com.fasterxml.jackson.annotation.JsonIgnore
  public boolean isRevoked() {
    return revokedAt != null;
  }
}
