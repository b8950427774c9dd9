package io.meshwork.controlplane.server.export;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshwork.fleet.Balancers;
import io.meshwork.fleet.api.Endpoint;
import io.meshwork.policy.ServicePolicy;
import io.meshwork.resilience.OutlierDetectionConfig;
import java.util.List;
import java.util.Map;

/**
 * One Envoy cluster per destination service, and one per subset of it ({@code user-service|v2}): its
 * endpoints with their weights and health, the balancer, connect timeout, concurrency thresholds,
 * outlier detection, HTTP/2 when the instances speak it, and mTLS checking the destination's SPIFFE ID.
 */
final class EnvoyClusters {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private EnvoyClusters() {}

  /** The name of the cluster of {@code service}, or of its {@code subset} (null for all of it). */
  static String name(String service, String subset) {
    return subset == null ? service : service + "|" + subset;
  }

  /** The clusters of {@code service} under {@code policy}: the whole service, then each subset. */
  static void add(ArrayNode clusters, SidecarView view, String service, ServicePolicy policy) {
    List<Endpoint> endpoints = view.endpoints().getOrDefault(service, List.of());
    clusters.add(cluster(view, service, null, policy, endpoints));
    for (Map.Entry<String, Map<String, String>> subset : policy.subsets().entrySet()) {
      List<Endpoint> selected = endpoints.stream()
          .filter(endpoint -> endpoint.labels() != null && endpoint.labels().entrySet().containsAll(subset.getValue().entrySet()))
          .toList();
      clusters.add(cluster(view, service, subset.getKey(), policy, selected));
    }
  }

  private static ObjectNode cluster(SidecarView view, String service, String subset, ServicePolicy policy,
      List<Endpoint> endpoints) {
    String name = name(service, subset);
    ObjectNode cluster = JSON.objectNode();
    cluster.put("name", name);
    cluster.put("type", "STATIC");
    cluster.put("connect_timeout", Durations.envoy(policy.connectTimeout()));
    cluster.put("lb_policy", lbPolicy(Balancers.nameOf(policy.loadBalancer())));
    ObjectNode assignment = cluster.putObject("load_assignment");
    assignment.put("cluster_name", name);
    ArrayNode lbEndpoints = assignment.putArray("endpoints").addObject().putArray("lb_endpoints");
    boolean http2 = false;
    String namespace = view.namespace();
    for (Endpoint endpoint : endpoints) {
      ObjectNode lbEndpoint = lbEndpoints.addObject();
      ObjectNode address = lbEndpoint.putObject("endpoint").putObject("address").putObject("socket_address");
      address.put("address", endpoint.ip());
      address.put("port_value", endpoint.port());
      lbEndpoint.put("health_status", switch (endpoint.status()) {
        case "healthy" -> "HEALTHY";
        case "unhealthy" -> "UNHEALTHY";
        default -> "UNKNOWN";
      });
      // Envoy's weights are 1..; a drained instance (weight 0) is marked DRAINING instead.
      lbEndpoint.put("load_balancing_weight", Math.max(1, endpoint.weight()));
      if (endpoint.weight() == 0) {
        lbEndpoint.put("health_status", "DRAINING");
      }
      http2 |= !"http".equals(endpoint.protocol());
      namespace = endpoint.namespace();
    }
    ObjectNode thresholds = cluster.putObject("circuit_breakers").putArray("thresholds").addObject();
    thresholds.put("priority", "DEFAULT");
    thresholds.put("max_requests", policy.limits().maxInFlight());
    thresholds.put("max_pending_requests", Math.max(1, policy.limits().maxPending()));
    thresholds.put("max_retries", Math.max(1, policy.limits().maxInFlight()));
    OutlierDetectionConfig outlier = policy.outlierDetection();
    if (outlier.enabled()) {
      cluster.set("outlier_detection", outlier(outlier));
    }
    if (http2) {
      ObjectNode options = cluster.putObject("typed_extension_protocol_options")
          .putObject("envoy.extensions.upstreams.http.v3.HttpProtocolOptions");
      options.put("@type", "type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions");
      options.putObject("explicit_http_config").putObject("http2_protocol_options");
    }
    if (view.tls()) {
      cluster.set("transport_socket", EnvoyTls.upstream(view, namespace, service, http2));
    }
    return cluster;
  }

  private static ObjectNode outlier(OutlierDetectionConfig config) {
    ObjectNode outlier = JSON.objectNode();
    outlier.put("consecutive_5xx", config.consecutiveFailures());
    outlier.put("consecutive_gateway_failure", config.consecutiveFailures());
    outlier.put("interval", Durations.envoy(config.interval()));
    outlier.put("base_ejection_time", Durations.envoy(config.baseEjectionTime()));
    outlier.put("max_ejection_time", Durations.envoy(config.maxEjectionTime()));
    outlier.put("max_ejection_percent", config.maxEjectionPercent());
    outlier.put("enforcing_success_rate", config.successRateEjection() ? 100 : 0);
    outlier.put("success_rate_minimum_hosts", config.successRateMinimumHosts());
    outlier.put("success_rate_request_volume", config.successRateRequestVolume());
    outlier.put("success_rate_stdev_factor", Math.round(config.successRateStdevFactor() * 1000));
    outlier.put("enforcing_failure_percentage", config.failurePercentageEjection() ? 100 : 0);
    outlier.put("failure_percentage_threshold", config.failurePercentageThreshold());
    outlier.put("failure_percentage_minimum_hosts", config.failurePercentageMinimumHosts());
    outlier.put("failure_percentage_request_volume", config.failurePercentageRequestVolume());
    return outlier;
  }

  /** Envoy's nearest balancer: peak-EWMA and least request are both LEAST_REQUEST (power of two choices). */
  static String lbPolicy(String balancer) {
    return switch (balancer) {
      case "round_robin", "weighted_round_robin" -> "ROUND_ROBIN";
      case "random" -> "RANDOM";
      default -> "LEAST_REQUEST";
    };
  }
}
