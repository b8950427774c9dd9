package io.meshwork.internal;

import io.meshwork.DeadlineExceededException;
import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import io.meshwork.time.Scheduler;
import io.meshwork.time.Ticker;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The call's overall deadline: the call's timeout (its options', else its route's, else the policy's), counted from the
 * call's start, and never later than the deadline of the inbound request the call is made for. One
 * timer per call: when it fires the call fails with {@link DeadlineExceededException} and whatever
 * attempt is running is aborted.
 */
final class DeadlineStage implements Stage {

  private final String service;
  private final Duration timeout;
  private final Ticker ticker;
  private final Scheduler scheduler;

  DeadlineStage(String service, Duration timeout, Ticker ticker, Scheduler scheduler) {
    this.service = service;
    this.timeout = timeout;
    this.ticker = ticker;
    this.scheduler = scheduler;
  }

  @Override
  public String name() {
    return "deadline";
  }

  @Override
  public Set<ContextValue> provides() {
    return Set.of(ContextValue.DEADLINE);
  }

  @Override
  public Set<ContextValue> requires() {
    return Set.of(ContextValue.ROUTE);
  }

  @Override
  public MeshClient wrap(MeshClient next) {
    return (request, context) -> execute(request, context, next);
  }

  private CompletableFuture<MeshResponse> execute(MeshRequest request, CallContext context, MeshClient next) {
    Duration callTimeout = context.options.timeout();
    if (callTimeout == null) {
      Duration routed = context.route().timeout();
      callTimeout = routed != null ? routed : timeout;
    }
    long deadline = context.startNanos + callTimeout.toNanos();
    if (context.scope != null && context.scope.hasDeadline()) {
      long inbound = ticker.nanoTime() + context.scope.remainingNanos();
      if (inbound - deadline < 0) {
        deadline = inbound;
        callTimeout = Duration.ofNanos(Math.max(0, inbound - context.startNanos));
      }
    }
    context.deadline(deadline, callTimeout);
    long left = deadline - ticker.nanoTime();
    if (left <= 0) {
      DeadlineExceededException expired = new DeadlineExceededException(service, callTimeout, context.attempts());
      context.abortCall(expired);
      return CompletableFuture.failedFuture(expired);
    }
    CompletableFuture<MeshResponse> result = new CompletableFuture<>();
    Duration reported = callTimeout;
    Scheduler.Cancellable timer = scheduler.schedule(() -> {
      DeadlineExceededException expired = new DeadlineExceededException(service, reported, context.attempts());
      if (result.completeExceptionally(expired)) {
        context.abortCall(expired);
      }
    }, left, TimeUnit.NANOSECONDS);
    CompletableFuture<MeshResponse> inner;
    try {
      inner = next.execute(request, context);
    } catch (RuntimeException e) {
      inner = CompletableFuture.failedFuture(e);
    }
    inner.whenComplete((response, failure) -> {
      timer.cancel();
      Futures.copy(response, failure, result);
    });
    return result;
  }
}
