package io.meshwork.internal;

import io.meshwork.resilience.RetryPolicy;
import java.time.Duration;

/**
 * Where one call goes and with what overrides: the rule that matched (null for the default route)
 * and one of its destinations. Made once per rule and destination, so deciding allocates nothing;
 * the target is found on first use (opening a destination service the mesh had not called yet).
 */
final class RouteDecision {

  /** The name of the route taken when no rule matches. */
  static final String DEFAULT = "default";

  final String route;
  final CompiledRule rule;
  private final String service;
  private final String subset;
  private final Targets targets;
  private volatile Target target;

  RouteDecision(String route, CompiledRule rule, String service, String subset, Targets targets) {
    this.route = route;
    this.rule = rule;
    this.service = service;
    this.subset = subset;
    this.targets = targets;
  }

  /** A decision whose target is already known. */
  static RouteDecision fixed(String route, Target target) {
    RouteDecision decision = new RouteDecision(route, null, target.destination.service, target.subset, null);
    decision.target = target;
    return decision;
  }

  /** The target, or null when the destination's policy declares no such subset. */
  Target target() {
    Target known = target;
    if (known == null) {
      known = targets.target(service, subset);
      target = known;
    }
    return known;
  }

  String service() {
    return service;
  }

  String subset() {
    return subset;
  }

  /** The rule's timeout, or null for the destination's. */
  Duration timeout() {
    return rule == null ? null : rule.rule.timeout();
  }

  /** The rule's retry policy, or null for the destination's. */
  RetryPolicy retry() {
    return rule == null ? null : rule.rule.retry();
  }

  @Override
  public String toString() {
    return route + " -> " + service + (subset == null ? "" : "/" + subset);
  }
}
