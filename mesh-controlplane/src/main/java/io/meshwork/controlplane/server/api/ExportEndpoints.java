package io.meshwork.controlplane.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshwork.MeshResponse;
import io.meshwork.config.MeshConfig;
import io.meshwork.controlplane.server.export.EnvoyBootstrap;
import io.meshwork.controlplane.server.export.NginxConfig;
import io.meshwork.controlplane.server.export.SidecarView;
import io.meshwork.fleet.api.Endpoint;
import io.meshwork.fleet.api.FieldError;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.security.MtlsMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * {@code GET /api/v1/envoy/configs/{service}} (an Envoy v3 bootstrap, YAML, or JSON with
 * {@code Accept: application/json}) and {@code GET /api/v1/nginx/configs/{service}} (an NGINX upstream
 * and server block). Query parameters: {@code namespace} ({@code default}), {@code cert_dir}
 * ({@code /etc/meshwork/certs}, holding {@code cert.pem}, {@code key.pem}, {@code ca.pem}),
 * {@code app_port} (Envoy: the local application's port, 8080), {@code listen} (NGINX: {@code 80}).
 */
final class ExportEndpoints {

  private final ApiContext context;

  ExportEndpoints(ApiContext context) {
    this.context = context;
  }

  CompletableFuture<MeshResponse> envoy(Call call) {
    String service = name("service", call.path("service"));
    SidecarView view = view(call, service, name("namespace", call.query().getOrDefault("namespace", "default")));
    ObjectNode bootstrap = EnvoyBootstrap.build(view);
    String accept = call.request().header("accept");
    if (accept != null && accept.contains("application/json")) {
      return StatusEndpoints.done(Responses.ok(bootstrap));
    }
    return StatusEndpoints.done(Responses.text("application/yaml", EnvoyBootstrap.yaml(bootstrap)));
  }

  CompletableFuture<MeshResponse> nginx(Call call) {
    String service = name("service", call.path("service"));
    String namespace = name("namespace", call.query().getOrDefault("namespace", "default"));
    String listen = call.query().getOrDefault("listen", "80");
    if (!listen.matches("((\\d{1,3}\\.){3}\\d{1,3}:|\\[[0-9a-fA-F:]+\\]:)?\\d{1,5}")) {
      throw new FieldError("listen", listen, "a port, or address:port, such as 127.0.0.1:8080");
    }
    List<Endpoint> endpoints = new ArrayList<>();
    for (Endpoint endpoint : context.registry().endpoints(service)) {
      if (endpoint.namespace().equals(namespace)) {
        endpoints.add(endpoint);
      }
    }
    if (endpoints.isEmpty()) {
      throw ApiError.notFound("instances of " + namespace + "/" + service);
    }
    // The proxy calls the service: its mode is the service's, as the service's rules and config set it.
    SidecarView destination = view(call, service, namespace);
    return StatusEndpoints.done(Responses.text("text/plain; charset=utf-8", NginxConfig.render(destination, service,
        namespace, destination.config().policyFor(service), endpoints, listen)));
  }

  private SidecarView view(Call call, String service, String namespace) {
    String certificates = call.query().getOrDefault("cert_dir", "/etc/meshwork/certs");
    if (!certificates.matches("/[A-Za-z0-9._/-]{0,255}") || certificates.contains("..")) {
      throw new FieldError("cert_dir", certificates, "an absolute directory of letters, digits, '.', '_', '-' and '/'");
    }
    int appPort;
    try {
      appPort = Integer.parseInt(call.query().getOrDefault("app_port", "8080"));
      if (appPort < 1 || appPort > 65535) {
        throw new NumberFormatException();
      }
    } catch (NumberFormatException e) {
      throw new FieldError("app_port", call.query().get("app_port"), "a port, 1..65535");
    }
    MeshConfig config = PolicyCheck.check("(state)", context.state().config(), context.state().trafficRules(),
        context.state().securityRules(), namespace, service);
    Map<String, List<Endpoint>> endpoints = new LinkedHashMap<>();
    for (String name : context.registry().services()) {
      endpoints.put(name, context.registry().endpoints(name));
    }
    MtlsMode mode = config.mtls() != null ? config.mtls() : MtlsMode.STRICT;
    return new SidecarView(service, namespace, context.trustDomain(), config, mode, endpoints, certificates, appPort);
  }

  private static String name(String field, String value) {
    try {
      return ServiceInstance.checkName(field, value);
    } catch (IllegalArgumentException e) {
      throw new FieldError(field, value, "letters, digits, '.', '_' or '-', starting with a letter or digit");
    }
  }
}
