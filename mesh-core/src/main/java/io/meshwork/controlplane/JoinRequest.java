package io.meshwork.controlplane;

import io.meshwork.transport.Transport;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * What a mesh tells the {@link ControlPlaneConnector} when it joins a control plane.
 *
 * @param controlPlane the control plane's address, such as {@code http://127.0.0.1:8080}
 * @param token the bootstrap token that lets this workload get its certificate and register (or the
 *     admin token); never logged
 * @param service this workload's service, whose identity its certificate carries
 * @param namespace this workload's namespace
 * @param trustDomain the trust domain of workload identities
 * @param certificateTtl the lifetime this workload asks for its certificates
 * @param transport the mesh's transport, or null: the connector then makes (and closes) its own
 */
public record JoinRequest(URI controlPlane, String token, String service, String namespace, String trustDomain,
    Duration certificateTtl, Transport transport) {

  /** Checks every field but the transport. */
  public JoinRequest {
    Objects.requireNonNull(controlPlane, "controlPlane");
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(trustDomain, "trustDomain");
    Objects.requireNonNull(certificateTtl, "certificateTtl");
  }

  /** Never prints the token. */
  @Override
  public String toString() {
    return "JoinRequest{controlPlane=" + controlPlane + ", service=" + namespace + "/" + service
        + ", trustDomain=" + trustDomain + ", certificateTtl=" + certificateTtl + "}";
  }
}
