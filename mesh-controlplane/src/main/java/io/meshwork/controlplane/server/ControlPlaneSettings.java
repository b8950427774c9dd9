package io.meshwork.controlplane.server;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * How a control plane runs, as {@link ControlPlaneServer.Builder} (or the command line) gathered it.
 *
 * @param host the address to listen on
 * @param port the port, 0 for any free one
 * @param dataDirectory where the CA, the admin token (by default) and, without etcd, the state are kept
 * @param adminTokenFile the admin token's file, or null for {@code <dataDirectory>/admin-token}
 * @param etcd the etcd endpoints of a shared store, or empty for the embedded one
 * @param etcdPrefix the key prefix of the state in etcd
 * @param etcdLeaseTtl the lease of the instances this controller registers in etcd
 * @param trustDomain the fleet's trust domain
 * @param tls whether the port also serves mutual TLS (PERMISSIVE: plaintext and mTLS on one port)
 * @param adminIdentities SPIFFE IDs that act as admin over mTLS
 * @param openReads whether reads need no token; null: only when it listens on a loopback address
 * @param maxBodyBytes the largest request body accepted
 * @param maxCertificateTtl the longest lifetime of an issued certificate
 * @param healthCheckInterval how often registered instances are checked
 */
public record ControlPlaneSettings(String host, int port, Path dataDirectory, Path adminTokenFile, List<URI> etcd,
    String etcdPrefix, Duration etcdLeaseTtl, String trustDomain, boolean tls, Set<String> adminIdentities,
    Boolean openReads, int maxBodyBytes, Duration maxCertificateTtl, Duration healthCheckInterval) {

  /** Copies the collections. */
  public ControlPlaneSettings {
    etcd = List.copyOf(etcd);
    adminIdentities = Set.copyOf(adminIdentities);
  }

  /** The admin token's file. */
  public Path tokenFile() {
    return adminTokenFile != null ? adminTokenFile : dataDirectory.resolve("admin-token");
  }
}
