package io.meshwork.internal;

import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import io.meshwork.TransportException;
import io.meshwork.time.Scheduler;
import io.meshwork.traffic.FaultInjection;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * The route's injected faults: a delay for a share of calls (on the mesh's scheduler, inside the
 * call's deadline, so a delay past it ends the call at its deadline) and an abort for a share (a
 * status answered without calling the service, or a connection error). Decisions come from the
 * mesh's random source. Outside the retry stage: an injected abort is not retried.
 */
final class FaultStage implements Stage {

  private final String service;
  private final Scheduler scheduler;
  private final RandomGenerator random;

  FaultStage(String service, Scheduler scheduler, RandomGenerator random) {
    this.service = service;
    this.scheduler = scheduler;
    this.random = random;
  }

  @Override
  public String name() {
    return "fault";
  }

  @Override
  public Set<ContextValue> requires() {
    return Set.of(ContextValue.ROUTE);
  }

  @Override
  public MeshClient wrap(MeshClient next) {
    return (request, context) -> {
      CompiledRule rule = context.route().rule;
      FaultInjection fault = rule == null ? null : rule.rule.fault();
      if (fault == null) {
        return next.execute(request, context);
      }
      boolean delay = fault.delayPercent() > 0 && random.nextDouble() * 100 < fault.delayPercent();
      boolean abort = fault.abortPercent() > 0 && random.nextDouble() * 100 < fault.abortPercent();
      if (!delay) {
        return abort ? aborted(fault, rule) : next.execute(request, context);
      }
      CompletableFuture<MeshResponse> result = new CompletableFuture<>();
      scheduler.schedule(() -> {
        if (result.isDone() || context.callAbort != null) {
          return;
        }
        CompletableFuture<MeshResponse> after = abort ? aborted(fault, rule) : next.execute(request, context);
        after.whenComplete((response, failure) -> Futures.copy(response, failure, result));
      }, fault.delay().toNanos(), TimeUnit.NANOSECONDS);
      return result;
    };
  }

  private CompletableFuture<MeshResponse> aborted(FaultInjection fault, CompiledRule rule) {
    if (fault.abortStatus() == 0) {
      return CompletableFuture.failedFuture(new TransportException(service, "fault injected by route '"
          + rule.rule.name() + "': connection reset", null, false));
    }
    return CompletableFuture.completedFuture(MeshResponse.builder().status(fault.abortStatus())
        .header("x-meshwork-fault", "abort").header("content-type", "application/json")
        .body("{\"error\":\"fault injected\"}").build());
  }
}
