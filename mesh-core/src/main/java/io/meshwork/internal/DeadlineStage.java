package io.meshwork.internal;

import io.meshwork.DeadlineExceededException;
import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import io.meshwork.time.Scheduler;
import io.meshwork.time.Ticker;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The call's overall deadline. One timer per call: when it fires the call fails with
 * {@link DeadlineExceededException} and whatever attempt is running is aborted. The future it
 * returns aborts the call when the caller cancels it.
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
  public MeshClient wrap(MeshClient next) {
    return (request, context) -> execute(request, context, next);
  }

  private CompletableFuture<MeshResponse> execute(MeshRequest request, CallContext context, MeshClient next) {
    long timeoutNanos = timeout.toNanos();
    context.timeout = timeout;
    context.deadlineNanos = ticker.nanoTime() + timeoutNanos;
    CallFuture result = new CallFuture(context);
    Scheduler.Cancellable timer = scheduler.schedule(() -> {
      DeadlineExceededException expired = new DeadlineExceededException(service, timeout, context.attempts());
      if (result.completeExceptionally(expired)) {
        context.abortCall(expired);
      }
    }, timeoutNanos, TimeUnit.NANOSECONDS);
    next.execute(request, context).whenComplete((response, failure) -> {
      timer.cancel();
      Futures.copy(response, failure, result);
    });
    return result;
  }

  /** The caller's future: cancelling it aborts the call. */
  private static final class CallFuture extends CompletableFuture<MeshResponse> {
    private final CallContext context;

    CallFuture(CallContext context) {
      this.context = context;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      boolean cancelled = super.cancel(mayInterruptIfRunning);
      if (cancelled) {
        context.abortCall(new CancellationException("call to " + context.service + " cancelled by the caller"));
      }
      return cancelled;
    }
  }
}
