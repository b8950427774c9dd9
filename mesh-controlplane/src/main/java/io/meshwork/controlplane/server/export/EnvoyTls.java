package io.meshwork.controlplane.server.export;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The TLS parts of an Envoy bootstrap: the workload's certificate and key from files, the fleet's
 * root as trust anchor, and the SPIFFE ID a peer must present, matched on its URI SAN.
 */
final class EnvoyTls {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private EnvoyTls() {}

  /** Calls to {@code namespace/service} present the workload's certificate and check the server's SPIFFE ID. */
  static ObjectNode upstream(SidecarView view, String namespace, String service, boolean http2) {
    ObjectNode context = JSON.objectNode();
    context.put("@type", "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext");
    context.put("sni", service + "." + namespace + ".svc.cluster.local");
    ObjectNode common = common(view, JSON.objectNode().put("exact", view.spiffeId(namespace, service)));
    if (http2) {
      common.putArray("alpn_protocols").add("h2");
    }
    context.set("common_tls_context", common);
    return socket(context);
  }

  /** Callers must present a certificate of the fleet's trust domain. */
  static ObjectNode downstream(SidecarView view) {
    ObjectNode context = JSON.objectNode();
    context.put("@type", "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext");
    context.put("require_client_certificate", true);
    ObjectNode common = common(view, JSON.objectNode().put("prefix", "spiffe://" + view.trustDomain() + "/"));
    common.putArray("alpn_protocols").add("h2").add("http/1.1");
    context.set("common_tls_context", common);
    return socket(context);
  }

  private static ObjectNode common(SidecarView view, ObjectNode sanMatcher) {
    ObjectNode common = JSON.objectNode();
    ObjectNode certificate = common.putArray("tls_certificates").addObject();
    certificate.putObject("certificate_chain").put("filename", view.certificate());
    certificate.putObject("private_key").put("filename", view.privateKey());
    ObjectNode validation = common.putObject("validation_context");
    validation.putObject("trusted_ca").put("filename", view.trustedCa());
    ObjectNode san = validation.putArray("match_typed_subject_alt_names").addObject();
    san.put("san_type", "URI");
    san.set("matcher", sanMatcher);
    return common;
  }

  private static ObjectNode socket(ObjectNode context) {
    ObjectNode socket = JSON.objectNode();
    socket.put("name", "envoy.transport_sockets.tls");
    socket.set("typed_config", context);
    return socket;
  }
}
