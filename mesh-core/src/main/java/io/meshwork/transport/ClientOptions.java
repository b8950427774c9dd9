package io.meshwork.transport;

import io.meshwork.policy.Protocol;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.security.WorkloadIdentity;
import java.time.Duration;
import java.util.Objects;

/**
 * How a transport client talks to one destination.
 *
 * @param service the destination service
 * @param protocol the HTTP version
 * @param connectTimeout the limit of opening one connection
 * @param maxResponseBytes the largest response body accepted; larger ones fail the call
 * @param tls the credentials for mutual TLS, or null for plaintext
 */
public record ClientOptions(String service, Protocol protocol, Duration connectTimeout, int maxResponseBytes,
    TlsCredentials tls) {

  /** Checks every field. */
  public ClientOptions {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    if (maxResponseBytes < 0) {
      throw new IllegalArgumentException("maxResponseBytes: " + maxResponseBytes + " (expected: >= 0)");
    }
  }

  /** Plaintext options. */
  public ClientOptions(String service, Protocol protocol, Duration connectTimeout, int maxResponseBytes) {
    this(service, protocol, connectTimeout, maxResponseBytes, null);
  }

  /**
   * The identity {@code instance} must present over mTLS: its service in its namespace, in the
   * trust domain of the credentials.
   */
  public WorkloadIdentity expectedIdentity(ServiceInstance instance) {
    return WorkloadIdentity.of(tls.trustDomain(), instance.namespace(), instance.service());
  }
}
