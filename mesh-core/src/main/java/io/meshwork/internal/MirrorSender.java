package io.meshwork.internal;

import io.meshwork.CallOptions;
import io.meshwork.MeshRequest;
import io.meshwork.resilience.RetryBudget;
import io.meshwork.resilience.RetryPolicy;
import io.meshwork.traffic.Mirror;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends copies of a route's calls to its mirror destination, fire and forget. A copy runs on a chain
 * of its own (its deadline, one attempt, the mirror destination's limits and balancer), so it never
 * retries, never takes from the caller's retry budget, and its answer, failure and latency never
 * reach the caller. Copies carry {@code x-meshwork-mirror: true}.
 */
final class MirrorSender {

  private static final Logger log = LoggerFactory.getLogger(MirrorSender.class);

  private final Mirror mirror;
  private final String route;
  private final Targets targets;
  private final ChainEnvironment environment;
  private volatile MeshClient chain;

  MirrorSender(Mirror mirror, String route, Targets targets, ChainEnvironment environment) {
    this.mirror = mirror;
    this.route = route;
    this.targets = targets;
    this.environment = environment;
  }

  /** Makes the sender of a rule's mirror. */
  @FunctionalInterface
  interface Factory {
    MirrorSender make(Mirror mirror, String route);
  }

  double percent() {
    return mirror.percent();
  }

  /** Sends a copy of {@code request}; returns at once. */
  void send(MeshRequest request) {
    String service = mirror.destination().service();
    MeshClient client = chain();
    if (client == null) {
      log.debug("{}: mirror of route '{}' skipped: subset {} is not declared", service, route,
          mirror.destination().subset());
      return;
    }
    MeshRequest copy = request.toBuilder().header("x-meshwork-mirror", "true").build();
    CallContext context = new CallContext(service, CallOptions.none(), null, environment.ticker().nanoTime());
    CompletableFuture<?> sent;
    try {
      sent = client.execute(copy, context);
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    sent.whenComplete((response, failure) -> {
      if (failure != null && log.isDebugEnabled()) {
        log.debug("{}: mirrored call of route '{}' failed: {}", service, route, Futures.unwrap(failure).toString());
      }
    });
  }

  private MeshClient chain() {
    MeshClient built = chain;
    if (built == null) {
      Target target = targets.target(mirror.destination().service(), mirror.destination().subset());
      if (target == null) {
        return null;
      }
      Destination destination = target.destination;
      RouteDecision decision = RouteDecision.fixed(route + " (mirror)", target);
      built = CallChain.assemble(destination.service, List.of(
          new FixedRouteStage(decision),
          new DeadlineStage(destination.service, destination.policy.timeout(), environment.ticker(),
              environment.scheduler()),
          new RetryStage(destination.service, RetryPolicy.none(),
              RetryBudget.create(RetryPolicy.none().budget(), environment.ticker()), environment.ticker(),
              environment.scheduler(), environment.random()),
          new ConcurrencyLimitStage(destination.service, destination.policy.limits()),
          new BalanceStage(environment.ticker(), environment.listener())),
          new TransportStage(environment.ticker()));
      chain = built;
    }
    return built;
  }
}
