package io.meshwork.internal;

import io.meshwork.AttemptTimeoutException;
import io.meshwork.CircuitOpenException;
import io.meshwork.ConnectFailedException;
import io.meshwork.MeshException;
import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import io.meshwork.RetriesExhaustedException;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.resilience.RetryBudget;
import io.meshwork.resilience.RetryOn;
import io.meshwork.resilience.RetryPolicy;
import io.meshwork.time.Scheduler;
import io.meshwork.time.Ticker;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * Retries within the policy and the destination's budget: per-try timeout, exponential backoff with
 * jitter, retry-on conditions, no retry of a request that may have been processed unless it is
 * idempotent or the policy says so. A retry goes to an instance not tried yet when there is one.
 */
final class RetryStage implements Stage {

  private final String service;
  private final RetryPolicy policy;
  private final RetryBudget budget;
  private final Ticker ticker;
  private final Scheduler scheduler;
  private final RandomGenerator random;

  RetryStage(String service, RetryPolicy policy, RetryBudget budget, Ticker ticker, Scheduler scheduler,
      RandomGenerator random) {
    this.service = service;
    this.policy = policy;
    this.budget = budget;
    this.ticker = ticker;
    this.scheduler = scheduler;
    this.random = random;
  }

  @Override
  public MeshClient wrap(MeshClient next) {
    return (request, context) -> {
      CompletableFuture<MeshResponse> result = new CompletableFuture<>();
      budget.deposit();
      attempt(request, context, next, result, 1);
      return result;
    };
  }

  private void attempt(MeshRequest request, CallContext context, MeshClient next,
      CompletableFuture<MeshResponse> result, int number) {
    Throwable over = context.callAbort;
    if (over != null) {
      result.completeExceptionally(over);
      return;
    }
    Attempt attempt = context.beginAttempt(number);
    Scheduler.Cancellable timer = perTryTimer(attempt, context);
    next.execute(request, context).whenComplete((response, failure) -> {
      if (timer != null) {
        timer.cancel();
      }
      onAttemptDone(request, context, next, result, attempt, response, failure);
    });
  }

  private void onAttemptDone(MeshRequest request, CallContext context, MeshClient next,
      CompletableFuture<MeshResponse> result, Attempt attempt, MeshResponse response, Throwable failure) {
    Throwable cause = failure == null ? null : Futures.unwrap(failure);
    if (context.callAbort != null) {
      Futures.copy(response, cause, result);
      return;
    }
    String retryable = retryReason(request, response, cause);
    if (retryable == null) {
      Futures.copy(response, cause, result);
      return;
    }
    if (attempt.number >= policy.maxAttempts()) {
      finish(result, response, cause, attempt.number, "max attempts reached");
      return;
    }
    if (!budget.tryWithdraw()) {
      finish(result, response, cause, attempt.number, "retry budget exhausted");
      return;
    }
    ServiceInstance tried = attempt.instance;
    if (tried != null) {
      context.addTried(tried);
    }
    long delay = backoffNanos(attempt.number);
    if (delay <= 0) {
      attempt(request, context, next, result, attempt.number + 1);
    } else {
      scheduler.schedule(() -> attempt(request, context, next, result, attempt.number + 1),
          delay, TimeUnit.NANOSECONDS);
    }
  }

  /** Why the outcome may be retried, or null when it may not. */
  private String retryReason(MeshRequest request, MeshResponse response, Throwable cause) {
    boolean repeatable = request.isIdempotent() || policy.retryNonIdempotent();
    if (response != null) {
      int status = response.status();
      boolean listed = (status >= 500 && policy.retryOn().contains(RetryOn.SERVER_ERROR))
          || (!policy.retryableStatuses().isEmpty() && policy.retryableStatuses().contains(status));
      return listed && repeatable ? "status " + status : null;
    }
    if (!(cause instanceof MeshException failure) || !failure.isRetryable()) {
      return null;
    }
    RetryOn kind = kindOf(failure);
    if (!policy.retryOn().contains(kind)) {
      return null;
    }
    return repeatable || !failure.mayHaveBeenProcessed() ? kind.name() : null;
  }

  private static RetryOn kindOf(MeshException failure) {
    if (failure instanceof ConnectFailedException || failure instanceof CircuitOpenException) {
      return RetryOn.CONNECT_FAILURE;
    }
    if (failure instanceof AttemptTimeoutException) {
      return RetryOn.TIMEOUT;
    }
    return RetryOn.RESET;
  }

  /** Returns a 5xx response as it is; an exception after retries becomes RetriesExhausted. */
  private void finish(CompletableFuture<MeshResponse> result, MeshResponse response, Throwable cause,
      int attempts, String reason) {
    if (response != null) {
      result.complete(response);
    } else if (attempts > 1) {
      result.completeExceptionally(new RetriesExhaustedException(service, attempts, reason, cause));
    } else {
      result.completeExceptionally(cause);
    }
  }

  private long backoffNanos(int attemptsDone) {
    long base = policy.backoffNanos(attemptsDone);
    return base - (long) (base * policy.jitter() * random.nextDouble());
  }

  private Scheduler.Cancellable perTryTimer(Attempt attempt, CallContext context) {
    long perTry = policy.perTryTimeout().toNanos();
    if (perTry == 0 || perTry >= context.deadlineNanos - ticker.nanoTime()) {
      return null; // the call's deadline comes first
    }
    return scheduler.schedule(() -> {
      ServiceInstance instance = attempt.instance;
      attempt.abort(new AttemptTimeoutException(service, "attempt " + attempt.number + " timed out after "
          + TimeUnit.NANOSECONDS.toMillis(perTry) + " ms" + (instance == null ? "" : " on " + instance.address())));
    }, perTry, TimeUnit.NANOSECONDS);
  }
}
