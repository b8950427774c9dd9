package io.meshwork.internal;

import java.util.Set;

/** Sends every call of a chain to one target: the route stage of a mirror's own chain. */
final class FixedRouteStage implements Stage {

  private final RouteDecision decision;

  FixedRouteStage(RouteDecision decision) {
    this.decision = decision;
  }

  @Override
  public String name() {
    return "route";
  }

  @Override
  public Set<ContextValue> provides() {
    return Set.of(ContextValue.ROUTE);
  }

  @Override
  public MeshClient wrap(MeshClient next) {
    return (request, context) -> {
      context.route(decision);
      return next.execute(request, context);
    };
  }
}
