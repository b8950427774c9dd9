package io.meshwork.controlplane.server.api;

import io.meshwork.fleet.api.Endpoint;
import io.meshwork.MeshResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** {@code GET /health}, {@code GET /api/v1/status}, {@code GET /api/v1/metrics} and {@code GET /metrics}. */
final class StatusEndpoints {

  private final ApiContext context;
  private final WatchHub watches;
  private final MetricsExposition metrics;

  /** With {@code metrics} behind {@code GET /metrics}, or the control plane's own gauges when it is null. */
  StatusEndpoints(ApiContext context, WatchHub watches, MetricsExposition metrics) {
    this.context = context;
    this.watches = watches;
    this.metrics = metrics != null ? metrics : new FleetGauges(this::gauges);
  }

  CompletableFuture<MeshResponse> health(Call call) {
    return done(Responses.status("healthy", "store", context.store()));
  }

  CompletableFuture<MeshResponse> status(Call call) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", "running");
    body.put("version", version());
    body.put("uptime_seconds", Duration.between(context.startedAt(), Instant.now()).toSeconds());
    body.put("trust_domain", context.trustDomain());
    body.put("ca_fingerprint", context.authority().fingerprint());
    body.put("identity", context.serverIdentity());
    body.put("store", context.store());
    body.put("revision", context.views().current().revision());
    body.put("watchers", watches.waiting());
    body.putAll(counts());
    return done(Responses.ok(body));
  }

  CompletableFuture<MeshResponse> metrics(Call call) {
    return done(Responses.ok(counts()));
  }

  CompletableFuture<MeshResponse> prometheus(Call call) {
    return done(Responses.text(metrics.contentType(), metrics.scrape()));
  }

  /** The gauges {@link FleetGauges} writes by default. */
  Map<String, Number> gauges() {
    Map<String, Object> counts = counts();
    @SuppressWarnings("unchecked")
    Map<String, Integer> registry = (Map<String, Integer>) counts.get("registry");
    @SuppressWarnings("unchecked")
    Map<String, Integer> certificates = (Map<String, Integer>) counts.get("certificates");
    Map<String, Number> gauges = new LinkedHashMap<>();
    gauges.put("meshwork_controlplane_services", registry.get("total_services"));
    gauges.put("meshwork_controlplane_endpoints{status=\"healthy\"}", registry.get("healthy_endpoints"));
    gauges.put("meshwork_controlplane_endpoints{status=\"unhealthy\"}", registry.get("unhealthy_endpoints"));
    gauges.put("meshwork_controlplane_endpoints{status=\"unknown\"}", registry.get("unknown_endpoints"));
    gauges.put("meshwork_controlplane_traffic_rules", registry.get("traffic_rules"));
    gauges.put("meshwork_controlplane_security_rules", registry.get("security_rules"));
    gauges.put("meshwork_controlplane_certificates{state=\"issued\"}", certificates.get("issued"));
    gauges.put("meshwork_controlplane_certificates{state=\"revoked\"}", certificates.get("revoked"));
    gauges.put("meshwork_controlplane_watches", watches.waiting());
    gauges.put("meshwork_controlplane_uptime_seconds", Duration.between(context.startedAt(), Instant.now()).toSeconds());
    return gauges;
  }

  /** The seeds' metrics: {@code registry: {total_services, healthy_endpoints, ...}}, and certificates. */
  private Map<String, Object> counts() {
    int healthy = 0;
    int unhealthy = 0;
    int unknown = 0;
    List<String> services = context.registry().services();
    for (String service : services) {
      for (Endpoint endpoint : context.registry().endpoints(service)) {
        switch (endpoint.status()) {
          case "healthy" -> healthy++;
          case "unhealthy" -> unhealthy++;
          default -> unknown++;
        }
      }
    }
    Map<String, Object> registry = new LinkedHashMap<>();
    registry.put("total_services", services.size());
    registry.put("healthy_endpoints", healthy);
    registry.put("unhealthy_endpoints", unhealthy);
    registry.put("unknown_endpoints", unknown);
    registry.put("traffic_rules", context.state().trafficRules().size());
    registry.put("security_rules", context.state().securityRules().size());
    Map<String, Object> certificates = new LinkedHashMap<>();
    certificates.put("issued", context.state().certificates().size());
    certificates.put("revoked", (int) context.state().certificates().stream().filter(c -> c.isRevoked()).count());
    Map<String, Object> counts = new LinkedHashMap<>();
    counts.put("registry", registry);
    counts.put("certificates", certificates);
    return counts;
  }

  private static String version() {
    String version = StatusEndpoints.class.getPackage().getImplementationVersion();
    return version != null ? version : "development";
  }

  static CompletableFuture<MeshResponse> done(MeshResponse response) {
    return CompletableFuture.completedFuture(response);
  }
}
