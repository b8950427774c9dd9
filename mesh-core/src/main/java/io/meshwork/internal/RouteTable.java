package io.meshwork.internal;

import io.meshwork.MeshRequest;
import io.meshwork.traffic.RouteRule;
import java.util.List;

/**
 * A destination's route rules, compiled once: the first rule whose match holds decides. Public for
 * the benchmarks, which measure matching alone; the mesh uses it through its route stage.
 */
public final class RouteTable {

  private final CompiledRule[] rules;

  RouteTable(List<CompiledRule> rules) {
    this.rules = rules.toArray(new CompiledRule[0]);
  }

  /** Compiles {@code rules} on their own (no targets, mirrors or limits), for measuring matching. */
  public static RouteTable compile(List<RouteRule> rules) {
    return new RouteTable(rules.stream().map(rule -> new CompiledRule(rule, (service, subset) -> null, 0,
        (mirror, route) -> null)).toList());
  }

  /** The name of the rule {@code request} takes, or {@link RouteDecision#DEFAULT}. */
  public String routeOf(MeshRequest request) {
    int pathEnd = CompiledMatch.pathEnd(request.path());
    for (CompiledRule rule : rules) {
      if (rule.match(request, pathEnd) >= 0) {
        return rule.rule.name();
      }
    }
    return RouteDecision.DEFAULT;
  }

  /** The rules, in order. */
  CompiledRule[] rules() {
    return rules;
  }
}
