package io.meshwork.controlplane.server.export;

import io.meshwork.config.MeshConfig;
import io.meshwork.fleet.api.Endpoint;
import io.meshwork.security.MtlsMode;
import java.util.List;
import java.util.Map;

/**
 * What a proxy in front of one workload needs, as a joined mesh of that workload would see it: its
 * config (the fleet's rules translated as every mesh translates them) and every service's endpoints.
 *
 * @param service the workload's service
 * @param namespace its namespace
 * @param trustDomain the fleet's trust domain
 * @param config the workload's config
 * @param mtls the workload's mTLS mode
 * @param endpoints every registered service's endpoints, by service
 * @param certificateDirectory where the proxy finds {@code cert.pem}, {@code key.pem} and {@code ca.pem}
 * @param appPort the port of the local application the proxy fronts (Envoy's inbound side)
 */
public record SidecarView(String service, String namespace, String trustDomain, MeshConfig config, MtlsMode mtls,
    Map<String, List<Endpoint>> endpoints, String certificateDirectory, int appPort) {

  /** The SPIFFE ID of {@code service} in {@code namespace}. */
  String spiffeId(String namespace, String service) {
    return "spiffe://" + trustDomain + "/ns/" + namespace + "/sa/" + service;
  }

  /** Whether calls and the inbound side use mutual TLS. */
  boolean tls() {
    return mtls != MtlsMode.DISABLED;
  }

  String certificate() {
    return certificateDirectory + "/cert.pem";
  }

  String privateKey() {
    return certificateDirectory + "/key.pem";
  }

  String trustedCa() {
    return certificateDirectory + "/ca.pem";
  }
}
