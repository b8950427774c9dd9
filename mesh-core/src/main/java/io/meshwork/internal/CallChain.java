package io.meshwork.internal;

import io.meshwork.CallDecorator;
import io.meshwork.InvalidConfigurationException;
import io.meshwork.policy.ServicePolicy;
import io.meshwork.traffic.RouteRule;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The one place that knows the order of the call path, outermost first (DESIGN.md, "The path of a
 * call"): the application's decorators, the call's telemetry, content decoding, the route (with
 * client rate limits and mirrors), the deadline, injected faults, retries, concurrency limits,
 * balancing with breakers and outlier detection, each attempt's telemetry, then the transport.
 * Faults run inside the deadline, so an injected delay counts against it as a slow callee would.
 */
final class CallChain {

  private CallChain() {}

  static MeshClient build(Destination destination, ChainEnvironment environment, Targets targets,
      ChainState state) {
    String service = destination.service;
    ServicePolicy policy = state.policy;
    long now = environment.ticker().nanoTime();
    List<Stage> stages = new ArrayList<>();
    List<CallDecorator> decorators = new ArrayList<>(environment.decorators());
    decorators.addAll(policy.decorators());
    if (!decorators.isEmpty()) {
      stages.add(new DecoratorStage(service, decorators));
    }
    ClientTelemetry telemetry = environment.clientTelemetry(service); // telemetry (issue 13)
    if (telemetry.active()) {
      stages.add(new CallTelemetryStage(telemetry)); // telemetry (issue 13): the call, step 0
    }
    if (policy.transparentGzip()) {
      stages.add(new GzipStage(service, policy.maxResponseBytes()));
    }
    List<CompiledRule> rules = new ArrayList<>();
    for (RouteRule rule : policy.routes()) {
      rules.add(new CompiledRule(rule, targets, now,
          (mirror, route) -> new MirrorSender(mirror, route, targets, environment)));
    }
    stages.add(new RouteStage(service, new RouteTable(rules), RouteDecision.fixed(RouteDecision.DEFAULT, destination.all()),
        state.rateLimit, environment.ticker(), environment.random()));
    stages.add(new DeadlineStage(service, policy.timeout(), environment.ticker(), environment.scheduler()));
    stages.add(new FaultStage(service, environment.scheduler(), environment.random()));
    stages.add(new RetryStage(service, policy.retry(), state.budget, environment.ticker(),
        environment.scheduler(), environment.random()));
    stages.add(state.limits);
    telemetry.limitGauges(state.limits); // in-flight and pending gauges
    stages.add(new BalanceStage(environment.ticker(), environment.listener()));
    if (telemetry.active()) {
      stages.add(new AttemptTelemetryStage(telemetry)); // telemetry (issue 13): each attempt on the wire
    }
    return assemble(service, stages, new TransportStage(environment.ticker()));
  }

  /**
   * Wraps {@code stages} (outermost first) around {@code transport}, after checking that every
   * context value a stage reads is set by a stage outside it.
   */
  static MeshClient assemble(String service, List<Stage> stages, TransportStage transport) {
    Set<ContextValue> set = EnumSet.noneOf(ContextValue.class);
    for (Stage stage : stages) {
      check(service, stage.name(), stage.requires(), set);
      set.addAll(stage.provides());
    }
    check(service, TransportStage.NAME, TransportStage.REQUIRES, set);
    MeshClient client = transport;
    for (int i = stages.size() - 1; i >= 0; i--) {
      client = stages.get(i).wrap(client);
    }
    return client;
  }

  private static void check(String service, String stage, Set<ContextValue> needs, Set<ContextValue> set) {
    for (ContextValue value : EnumSet.copyOf(needs.isEmpty() ? EnumSet.noneOf(ContextValue.class) : needs)) {
      if (!set.contains(value)) {
        throw new InvalidConfigurationException(service, "the " + stage + " stage needs the "
            + value.name().toLowerCase(java.util.Locale.ROOT) + " set by the " + value.setBy()
            + " stage, and no " + value.setBy() + " stage comes before it in the chain");
      }
    }
  }
}
