package io.meshwork.controlplane.server.state;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * A bootstrap token: lets one workload identity (a service, or every service of a namespace with
 * {@code *}) get certificates by CSR and register its instances. Only the SHA-256 of its secret is kept.
 *
 * @param id the token's public part, by which it is listed and revoked
 * @param namespace the namespace of the identities it allows
 * @param serviceName the service it allows, or {@code *} for any of the namespace
 * @param secretHash the SHA-256 of the secret, hexadecimal; never shown by the API
 * @param createdAt when it was made, ISO-8601
 * @param expiresAt when it stops working, ISO-8601
 */
public record BootstrapToken(String id, String namespace, String serviceName,
    String secretHash, String createdAt, String expiresAt) {

  /** Whether it allows the workload {@code namespace/service}. */
  @JsonIgnore
  public boolean allows(String namespace, String service) {
    return this.namespace.equals(namespace) && ("*".equals(serviceName) || serviceName.equals(service));
  }
}
