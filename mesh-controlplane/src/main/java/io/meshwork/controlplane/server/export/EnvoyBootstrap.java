package io.meshwork.controlplane.server.export;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.meshwork.security.MtlsMode;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * An Envoy v3 bootstrap for a workload that still runs behind an Envoy sidecar, equivalent to what a
 * joined mesh of that workload does: an outbound listener on 127.0.0.1:15001 routing each destination
 * by its route rules (then to the whole service) with its timeouts and retries; a cluster per
 * destination and subset with its endpoints, balancer, thresholds, outlier detection and mTLS that
 * checks the destination's SPIFFE ID; an inbound listener on 0.0.0.0:15006 that requires (STRICT) or
 * accepts (PERMISSIVE) mTLS from the trust domain and forwards to the application on 127.0.0.1.
 */
public final class EnvoyBootstrap {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
  static final int OUTBOUND_PORT = 15001;
  static final int INBOUND_PORT = 15006;
  static final int ADMIN_PORT = 15000;

  private EnvoyBootstrap() {}

  /** The bootstrap of {@code view}'s workload. */
  public static ObjectNode build(SidecarView view) {
    ObjectNode bootstrap = JSON.objectNode();
    ObjectNode node = bootstrap.putObject("node");
    node.put("id", view.service() + "." + view.namespace() + ".sidecar");
    node.put("cluster", view.service());
    ObjectNode admin = bootstrap.putObject("admin").putObject("address").putObject("socket_address");
    admin.put("address", "127.0.0.1");
    admin.put("port_value", ADMIN_PORT);
    ObjectNode resources = bootstrap.putObject("static_resources");
    ArrayNode listeners = resources.putArray("listeners");
    ArrayNode clusters = resources.putArray("clusters");
    ArrayNode hosts = JSON.arrayNode();
    Set<String> destinations = new LinkedHashSet<>(view.endpoints().keySet());
    view.config().services().keySet().forEach(destinations::add);
    destinations.remove(view.service());
    for (String destination : destinations) {
      var policy = view.config().policyFor(destination);
      String namespace = view.endpoints().getOrDefault(destination, java.util.List.of()).stream()
          .map(endpoint -> endpoint.namespace()).findFirst().orElse(view.namespace());
      hosts.add(EnvoyRoutes.virtualHost(destination, namespace, policy));
      EnvoyClusters.add(clusters, view, destination, policy);
    }
    listeners.add(outbound(hosts));
    listeners.add(inbound(view));
    ObjectNode local = clusters.addObject();
    local.put("name", "inbound|" + view.service());
    local.put("type", "STATIC");
    local.put("connect_timeout", "1s");
    ObjectNode assignment = local.putObject("load_assignment");
    assignment.put("cluster_name", "inbound|" + view.service());
    ObjectNode address = assignment.putArray("endpoints").addObject().putArray("lb_endpoints").addObject()
        .putObject("endpoint").putObject("address").putObject("socket_address");
    address.put("address", "127.0.0.1");
    address.put("port_value", view.appPort());
    return bootstrap;
  }

  /** The bootstrap in YAML. */
  public static String yaml(ObjectNode bootstrap) {
    try {
      return YAML.writeValueAsString(bootstrap);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write YAML", e);
    }
  }

  private static ObjectNode outbound(ArrayNode hosts) {
    ObjectNode listener = listener("outbound", "127.0.0.1", OUTBOUND_PORT);
    ObjectNode routeConfig = JSON.objectNode();
    routeConfig.put("name", "outbound");
    routeConfig.set("virtual_hosts", hosts);
    listener.putArray("filter_chains").addObject().putArray("filters").add(httpConnectionManager("outbound", routeConfig));
    return listener;
  }

  private static ObjectNode inbound(SidecarView view) {
    ObjectNode listener = listener("inbound", "0.0.0.0", INBOUND_PORT);
    ObjectNode routeConfig = JSON.objectNode();
    routeConfig.put("name", "inbound");
    ObjectNode host = routeConfig.putArray("virtual_hosts").addObject();
    host.put("name", view.service());
    host.putArray("domains").add("*");
    ObjectNode route = host.putArray("routes").addObject();
    route.putObject("match").put("prefix", "/");
    route.putObject("route").put("cluster", "inbound|" + view.service());
    ArrayNode chains = listener.putArray("filter_chains");
    if (view.tls()) {
      ObjectNode secure = chains.addObject();
      if (view.mtls() == MtlsMode.PERMISSIVE) {
        secure.putObject("filter_chain_match").put("transport_protocol", "tls");
      }
      secure.set("transport_socket", EnvoyTls.downstream(view));
      secure.putArray("filters").add(httpConnectionManager("inbound", routeConfig));
    }
    if (view.mtls() != MtlsMode.STRICT) {
      chains.addObject().putArray("filters").add(httpConnectionManager("inbound_plaintext", routeConfig.deepCopy()));
    }
    if (view.mtls() == MtlsMode.PERMISSIVE) {
      ObjectNode inspector = listener.putArray("listener_filters").addObject();
      inspector.put("name", "envoy.filters.listener.tls_inspector");
      inspector.putObject("typed_config")
          .put("@type", "type.googleapis.com/envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector");
    }
    return listener;
  }

  private static ObjectNode listener(String name, String host, int port) {
    ObjectNode listener = JSON.objectNode();
    listener.put("name", name);
    ObjectNode address = listener.putObject("address").putObject("socket_address");
    address.put("address", host);
    address.put("port_value", port);
    return listener;
  }

  private static ObjectNode httpConnectionManager(String prefix, ObjectNode routeConfig) {
    ObjectNode filter = JSON.objectNode();
    filter.put("name", "envoy.filters.network.http_connection_manager");
    ObjectNode config = filter.putObject("typed_config");
    config.put("@type",
        "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager");
    config.put("stat_prefix", prefix);
    config.put("codec_type", "AUTO");
    config.set("route_config", routeConfig);
    ObjectNode router = config.putArray("http_filters").addObject();
    router.put("name", "envoy.filters.http.router");
    router.putObject("typed_config").put("@type", "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router");
    return filter;
  }
}
