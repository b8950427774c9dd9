package io.meshwork.fleet;

import io.meshwork.config.MeshConfig;
import io.meshwork.fleet.api.CircuitBreakerSettings;
import io.meshwork.fleet.api.DurationText;
import io.meshwork.fleet.api.TrafficRule;
import io.meshwork.policy.ConcurrencyLimits;
import io.meshwork.policy.ServicePolicy;
import io.meshwork.resilience.CircuitBreakerConfig;
import io.meshwork.resilience.OutlierDetectionConfig;
import io.meshwork.traffic.HeaderMatch;
import io.meshwork.traffic.PathMatch;
import io.meshwork.traffic.RouteDestination;
import io.meshwork.traffic.RouteMatch;
import io.meshwork.traffic.RouteRule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Traffic rules as route rules. The rules of a service, in the order they were added, become its
 * routes, ahead of any its own policy has: consecutive rules with the same match make one route that
 * splits by weight. A subset named {@code v2} is the destination's instances labelled
 * {@code version: v2}, declared on the destination's policy. A rule's circuit breaker sets the
 * service's limits, breaker and ejection (the last rule that has one wins).
 */
final class FleetRoutes {

  /** The label a subset name selects on, as the seeds' version subsets do. */
  static final String SUBSET_LABEL = "version";

  private FleetRoutes() {}

  /** The policies of the services the rules touch, built on those of {@code config}. */
  static Map<String, ServicePolicy> apply(MeshConfig config, List<TrafficRule> rules) {
    Map<String, List<TrafficRule>> byService = new LinkedHashMap<>();
    Map<String, Set<String>> subsets = new LinkedHashMap<>();
    for (TrafficRule rule : rules) {
      byService.computeIfAbsent(rule.service(), s -> new ArrayList<>()).add(rule);
      if (rule.destinationSubset() != null) {
        subsets.computeIfAbsent(rule.destinationService(), s -> new LinkedHashSet<>()).add(rule.destinationSubset());
      }
    }
    Set<String> touched = new LinkedHashSet<>(byService.keySet());
    touched.addAll(subsets.keySet());
    Map<String, ServicePolicy> policies = new LinkedHashMap<>();
    for (String service : touched) {
      ServicePolicy start = config.policyFor(service);
      ServicePolicy.Builder policy = start.toBuilder();
      for (String subset : subsets.getOrDefault(service, Set.of())) {
        if (!start.subsets().containsKey(subset)) {
          policy.subset(subset, Map.of(SUBSET_LABEL, subset));
        }
      }
      List<TrafficRule> own = byService.getOrDefault(service, List.of());
      if (!own.isEmpty()) {
        List<RouteRule> routes = routes(own, start);
        routes.addAll(start.routes());
        policy.routes(routes);
        CircuitBreakerSettings breaker = null;
        for (TrafficRule rule : own) {
          breaker = rule.circuitBreaker() != null ? rule.circuitBreaker() : breaker;
        }
        if (breaker != null) {
          applyBreaker(policy, start, breaker);
        }
      }
      policies.put(service, policy.build());
    }
    return policies;
  }

  private static List<RouteRule> routes(List<TrafficRule> rules, ServicePolicy start) {
    List<RouteRule> routes = new ArrayList<>();
    List<TrafficRule> group = new ArrayList<>();
    for (TrafficRule rule : rules) {
      if (!group.isEmpty() && !group.get(0).sameMatch(rule)) {
        routes.add(route(group, start));
        group = new ArrayList<>();
      }
      group.add(rule);
    }
    if (!group.isEmpty()) {
      routes.add(route(group, start));
    }
    return routes;
  }

  /** One route: the group's shared match, its destinations by weight, the first timeout and retries set. */
  private static RouteRule route(List<TrafficRule> group, ServicePolicy start) {
    TrafficRule first = group.get(0);
    RouteRule.Builder route = RouteRule.builder("rule-" + first.id());
    RouteMatch.Builder match = RouteMatch.builder();
    boolean any = false;
    if (first.matchPath() != null) {
      match.path(PathMatch.prefix(first.matchPath()));
      any = true;
    }
    if (first.matchMethod() != null) {
      match.method(first.matchMethod());
      any = true;
    }
    for (Map.Entry<String, String> header : first.matchHeaders().entrySet()) {
      match.header(HeaderMatch.exact(header.getKey(), header.getValue()));
      any = true;
    }
    if (any) {
      route.match(match.build());
    }
    Duration timeout = null;
    Integer retries = null;
    for (TrafficRule rule : group) {
      route.destination((rule.destinationSubset() == null ? RouteDestination.of(rule.destinationService())
          : RouteDestination.of(rule.destinationService(), rule.destinationSubset())).withWeight(rule.weight()));
      if (timeout == null && rule.timeout() != null) {
        timeout = DurationText.parse("timeout", rule.timeout());
      }
      retries = retries == null ? rule.retryAttempts() : retries;
    }
    if (timeout != null) {
      route.timeout(timeout);
    }
    if (retries != null || timeout != null) {
      Duration limit = timeout != null ? timeout : start.timeout();
      route.retry(FleetPolicy.withinTimeout(
          retries != null ? FleetPolicy.withAttempts(start.retry(), retries + 1) : start.retry(), limit));
    }
    return route.build();
  }

  private static void applyBreaker(ServicePolicy.Builder policy, ServicePolicy start, CircuitBreakerSettings settings) {
    ConcurrencyLimits limits = start.limits();
    policy.limits(new ConcurrencyLimits(settings.maxRequests() != null ? settings.maxRequests() : limits.maxInFlight(),
        settings.maxPendingRequests() != null ? settings.maxPendingRequests() : limits.maxPending()));
    CircuitBreakerConfig breaker = start.circuitBreaker();
    OutlierDetectionConfig outlier = start.outlierDetection();
    int failures = settings.consecutiveErrors() != null ? settings.consecutiveErrors() : breaker.consecutiveFailures();
    Duration open = settings.openDuration() != null
        ? DurationText.parse("circuit_breaker.open_duration", settings.openDuration()) : breaker.openDuration();
    policy.circuitBreaker(new CircuitBreakerConfig(failures, breaker.failureRateThreshold(), breaker.slidingWindow(),
        breaker.minimumRequests(), open, breaker.halfOpenProbes()));
    int ejectAfter = settings.consecutiveErrors() != null ? settings.consecutiveErrors() : outlier.consecutiveFailures();
    Duration ejection = settings.openDuration() != null ? open : outlier.baseEjectionTime();
    Duration maxEjection = outlier.maxEjectionTime().compareTo(ejection) < 0 ? ejection : outlier.maxEjectionTime();
    policy.outlierDetection(new OutlierDetectionConfig(outlier.enabled(), ejectAfter, ejection, maxEjection,
        outlier.maxEjectionPercent(), outlier.panicThresholdPercent(), outlier.interval(),
        outlier.successRateEjection(), outlier.successRateMinimumHosts(), outlier.successRateRequestVolume(),
        outlier.successRateStdevFactor(), outlier.failurePercentageEjection(), outlier.failurePercentageThreshold(),
        outlier.failurePercentageMinimumHosts(), outlier.failurePercentageRequestVolume()));
  }
}
