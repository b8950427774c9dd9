package io.meshwork.controlplane.server.export;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshwork.policy.ServicePolicy;
import io.meshwork.resilience.RetryOn;
import io.meshwork.resilience.RetryPolicy;
import io.meshwork.traffic.HeaderMatch;
import io.meshwork.traffic.PathMatch;
import io.meshwork.traffic.QueryMatch;
import io.meshwork.traffic.RouteDestination;
import io.meshwork.traffic.RouteMatch;
import io.meshwork.traffic.RouteRule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The routes of one destination's virtual host: each route rule (its matches, its destinations by
 * weight, its timeout and retries, its prefix rewrite), then the default route to the whole service
 * with the destination's timeout and retries — the order the mesh's Route stage tries them in.
 */
final class EnvoyRoutes {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private EnvoyRoutes() {}

  static ObjectNode virtualHost(String service, String namespace, ServicePolicy policy) {
    ObjectNode host = JSON.objectNode();
    host.put("name", service);
    ArrayNode domains = host.putArray("domains");
    for (String name : List.of(service, service + "." + namespace, service + "." + namespace + ".svc.cluster.local")) {
      domains.add(name).add(name + ":*");
    }
    ArrayNode routes = host.putArray("routes");
    for (RouteRule rule : policy.routes()) {
      List<RouteMatch> matches = rule.matches().isEmpty() ? List.of(RouteMatch.any()) : rule.matches();
      for (int i = 0; i < matches.size(); i++) {
        ObjectNode route = routes.addObject();
        route.put("name", matches.size() == 1 ? rule.name() : rule.name() + "#" + i);
        route.set("match", match(matches.get(i)));
        route.set("route", action(rule, policy));
      }
    }
    ObjectNode fallback = routes.addObject();
    fallback.put("name", "default");
    fallback.putObject("match").put("prefix", "/");
    ObjectNode action = fallback.putObject("route");
    action.put("cluster", EnvoyClusters.name(service, null));
    action.put("timeout", Durations.envoy(policy.timeout()));
    action.set("retry_policy", retry(policy.retry()));
    return host;
  }

  private static ObjectNode match(RouteMatch match) {
    ObjectNode node = JSON.objectNode();
    PathMatch path = match.path();
    if (path == null) {
      node.put("prefix", "/");
    } else {
      switch (path.kind()) {
        case EXACT -> node.put("path", path.value());
        case PREFIX -> node.put("prefix", path.value());
        default -> node.putObject("safe_regex").put("regex", path.value());
      }
    }
    ArrayNode headers = JSON.arrayNode();
    if (match.method() != null) {
      ObjectNode method = headers.addObject();
      method.put("name", ":method");
      method.putObject("string_match").put("exact", match.method());
    }
    for (HeaderMatch header : match.headers()) {
      ObjectNode matcher = headers.addObject();
      matcher.put("name", header.name());
      switch (header.kind()) {
        case EXACT -> matcher.putObject("string_match").put("exact", header.value());
        case PREFIX -> matcher.putObject("string_match").put("prefix", header.value());
        case REGEX -> matcher.putObject("string_match").putObject("safe_regex").put("regex", header.value());
        case PRESENT -> matcher.put("present_match", true);
        default -> matcher.put("present_match", true).put("invert_match", true);
      }
    }
    if (!headers.isEmpty()) {
      node.set("headers", headers);
    }
    if (!match.query().isEmpty()) {
      ArrayNode query = node.putArray("query_parameters");
      for (QueryMatch parameter : match.query()) {
        ObjectNode matcher = query.addObject();
        matcher.put("name", parameter.name());
        if (parameter.kind() == QueryMatch.Kind.EXACT) {
          matcher.putObject("string_match").put("exact", parameter.value());
        } else {
          matcher.putObject("string_match").putObject("safe_regex").put("regex", parameter.value());
        }
      }
    }
    return node;
  }

  private static ObjectNode action(RouteRule rule, ServicePolicy policy) {
    ObjectNode action = JSON.objectNode();
    List<RouteDestination> destinations = rule.destinations();
    if (destinations.size() == 1) {
      action.put("cluster", EnvoyClusters.name(destinations.get(0).service(), destinations.get(0).subset()));
    } else {
      ArrayNode clusters = action.putObject("weighted_clusters").putArray("clusters");
      for (RouteDestination destination : destinations) {
        clusters.addObject().put("name", EnvoyClusters.name(destination.service(), destination.subset()))
            .put("weight", destination.weight());
      }
    }
    if (rule.prefixRewrite() != null) {
      action.put("prefix_rewrite", rule.prefixRewrite());
    }
    Duration timeout = rule.timeout() != null ? rule.timeout() : policy.timeout();
    action.put("timeout", Durations.envoy(timeout));
    action.set("retry_policy", retry(rule.retry() != null ? rule.retry() : policy.retry()));
    return action;
  }

  private static ObjectNode retry(RetryPolicy retry) {
    ObjectNode node = JSON.objectNode();
    List<String> on = new ArrayList<>();
    if (retry.retryOn().contains(RetryOn.CONNECT_FAILURE)) {
      on.add("connect-failure");
    }
    if (retry.retryOn().contains(RetryOn.RESET)) {
      on.add("reset");
    }
    if (retry.retryOn().contains(RetryOn.SERVER_ERROR)) {
      on.add("5xx");
    }
    if (!retry.retryableStatuses().isEmpty()) {
      on.add("retriable-status-codes");
      ArrayNode codes = node.putArray("retriable_status_codes");
      retry.retryableStatuses().stream().sorted().forEach(codes::add);
    }
    node.put("retry_on", on.isEmpty() ? "connect-failure" : String.join(",", on));
    node.put("num_retries", retry.maxAttempts() - 1);
    if (!retry.perTryTimeout().isZero()) {
      node.put("per_try_timeout", Durations.envoy(retry.perTryTimeout()));
    }
    if (!retry.initialBackoff().isZero()) {
      ObjectNode backoff = node.putObject("retry_back_off");
      backoff.put("base_interval", Durations.envoy(retry.initialBackoff()));
      backoff.put("max_interval", Durations.envoy(retry.maxBackoff()));
    }
    return node;
  }
}
