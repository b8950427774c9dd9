package io.meshwork.internal;

import io.meshwork.MeshResponse;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

/**
 * The future a caller holds: cancelling it aborts the call, and it completes inside the call's
 * scope, so callbacks the caller chained on it still see the inbound deadline they were made for.
 */
final class CallFuture extends CompletableFuture<MeshResponse> {

  private final CallContext context;

  CallFuture(CallContext context) {
    this.context = context;
  }

  /**
   * Completes as the chain did, inside the call's scope when it has one; a traced call made outside
   * any scope completes in one of its own trace, so its callbacks log with its trace id.
   */
  void completeFrom(MeshResponse response, Throwable failure) {
    CallScope scope = context.scope;
    if (scope == null && context.span != null) {
      scope = CallScope.withTrace(context.span.context(), null);
    }
    if (scope == null) {
      Futures.copy(response, failure, this);
    } else {
      scope.run(() -> Futures.copy(response, failure, this));
    }
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
