package io.meshwork.config;

import io.meshwork.loadbalancer.LoadBalancer;
import io.meshwork.loadbalancer.LoadBalancerSpec;
import io.meshwork.policy.Protocol;
import io.meshwork.policy.ServicePolicy;
import io.meshwork.registry.ServiceInstance;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The description of one service's entry under {@code services:} (and of {@code defaultPolicy:}): its
 * subsets and routes, then its policy fields, read into a {@link ServicePolicy} by its own
 * constructor.
 */
final class ServicePolicyYaml {

  static final ObjectCodec<ServicePolicy> SERVICE_POLICY = servicePolicy();

  private ServicePolicyYaml() {}

  private static LoadBalancerSpec spec(Supplier<LoadBalancer> supplier) {
    if (supplier instanceof LoadBalancerSpec spec) {
      return spec;
    }
    throw new IllegalArgumentException("a Supplier<LoadBalancer> given in code (" + supplier.getClass().getName()
        + ") cannot be written to YAML (expected: a LoadBalancerSpec, such as LoadBalancerSpec.roundRobin())");
  }

  private static ObjectCodec<ServicePolicy> servicePolicy() {
    ServicePolicy defaults = ServicePolicy.defaults();
    Codec<Map<String, String>> labels = new MapCodec<>("a label name", null, ServicePolicyYaml::labelName,
        Scalars.STRING, false).writtenSorted().map(ServicePolicyYaml::selector, map -> map);
    return ObjectCodec.<ServicePolicy>builder("ServicePolicy", "Everything the mesh applies to the calls"
            + " to one destination service.")
        .defaults(defaults)
        .field("subsets", new MapCodec<>("a subset name", Scalars.NAME_PATTERN,
                name -> ServiceInstance.checkName("subsets", name), labels, false),
            ServicePolicy::subsets, "Named subsets of the service's instances, each a label selector such as"
                + " v2: {version: v2}, that routes send calls to.")
        .onValue(ServicePolicyYaml::declareSubsets)
        .field("routes", ListCodec.of(RouteYaml.ROUTE_RULE).uniqueBy("name", "route of this service"),
            ServicePolicy::routes, "Route rules, tried in order; the first whose match holds decides. With"
                + " none (or none holding), calls go to every instance.")
        .field("timeout", Scalars.POSITIVE_DURATION, ServicePolicy::timeout,
            "The overall deadline of a call, retries and backoff included.")
        .field("retries", PolicyYaml.RETRY, ServicePolicy::retry, "When and how calls are retried.", "retry")
        .field("circuitBreaker", PolicyYaml.CIRCUIT_BREAKER, ServicePolicy::circuitBreaker, "The breaker of each instance.")
        .field("outlierDetection", PolicyYaml.OUTLIER_DETECTION, ServicePolicy::outlierDetection, "When instances are ejected.")
        .field("loadBalancer", PolicyYaml.LOAD_BALANCER.<Supplier<LoadBalancer>>map(spec -> spec, ServicePolicyYaml::spec), ServicePolicy::loadBalancer,
            "How an instance is picked.")
        .field("rateLimit", RouteYaml.RATE_LIMIT, ServicePolicy::rateLimit,
            "A client-side token bucket of all calls to this service; past it a call fails at once.")
        .field("limits", PolicyYaml.LIMITS, ServicePolicy::limits, "In-flight and pending limits.")
        .field("protocol", KeywordCodec.forEnum(Protocol.class), ServicePolicy::protocol,
            "The HTTP version spoken: HTTP_1_1 (a pool of connections) or HTTP_2 (one multiplexed connection).")
        .field("connectTimeout", Scalars.POSITIVE_DURATION, ServicePolicy::connectTimeout,
            "The limit of opening one connection.")
        .field("maxResponseBytes", Scalars.NON_NEGATIVE, ServicePolicy::maxResponseBytes,
            "The largest response body accepted, in bytes.")
        .field("healthCheck", PolicyYaml.HEALTH_CHECK, ServicePolicy::healthCheck, "Active health checks; off unless set.")
        .field("failureStatuses", Scalars.STATUSES, ServicePolicy::failureStatuses,
            "The response statuses that count as failures of the instance (breaker, outlier detection,"
                + " balancer), such as '5xx' or '502,503,504'; the response still reaches the caller.")
        .field("transparentGzip", Scalars.BOOLEAN, ServicePolicy::transparentGzip,
            "Whether the mesh asks for gzip and decodes it when the caller did not ask itself.")
        .cannotWrite("decorators", policy -> policy.decorators().isEmpty() ? null : policy.decorators().size()
            + " CallDecorator(s) given in code cannot be written to YAML (expected: none; decorators are code"
            + " only, add them with MeshBuilder.decorator or ServicePolicy.Builder.decorator)")
        .build(v -> new ServicePolicy(v.get("timeout"), v.get("retries"), v.get("circuitBreaker"),
            v.get("outlierDetection"), v.get("limits"), v.get("loadBalancer"), v.get("protocol"),
            v.get("connectTimeout"), v.get("maxResponseBytes"), v.get("healthCheck"), v.get("failureStatuses"),
            List.of(), v.get("transparentGzip"), v.get("subsets"), v.get("routes"), v.get("rateLimit")));
  }

  private static String labelName(String name) {
    if (name.isEmpty()) {
      throw new IllegalArgumentException("'' (expected: a non-empty label name)");
    }
    return name;
  }

  private static Map<String, String> selector(Map<String, String> labels) {
    if (labels.isEmpty()) {
      throw new IllegalArgumentException("{} (expected: at least one label, such as {version: v2})");
    }
    return labels;
  }

  @SuppressWarnings("unchecked")
  private static void declareSubsets(Object subsets, ReadContext context) {
    if (context.owner() != null) {
      context.findings().declareSubsets(context.owner(),
          subsets == null ? null : ((Map<String, ?>) subsets).keySet());
    }
  }
}
