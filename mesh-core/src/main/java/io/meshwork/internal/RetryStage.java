package io.meshwork.internal;

import io.meshwork.AttemptTimeoutException;
import io.meshwork.CircuitOpenException;
import io.meshwork.ConcurrencyLimitException;
import io.meshwork.ConnectFailedException;
import io.meshwork.MeshException;
import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import io.meshwork.NoHealthyInstanceException;
import io.meshwork.RateLimitedException;
import io.meshwork.RetriesExhaustedException;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.resilience.RetryBudget;
import io.meshwork.resilience.RetryOn;
import io.meshwork.resilience.RetryPolicy;
import io.meshwork.time.Scheduler;
import io.meshwork.time.Ticker;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * Retries within the policy (the call's own, when its options carry one) and the destination's
 * budget: per-try timeout, exponential backoff with jitter from the mesh's random source, retry-on
 * conditions, no retry of a request that may have been processed unless it is idempotent or the
 * policy says so. A retry goes to an instance not tried yet when there is one.
 *
 * <p>When no attempt is left, the best outcome seen is returned: a response (any status) beats a
 * failure, so a 503 that retries could not cure reaches the caller as it is even when a later attempt
 * was refused locally. Only attempts that reached the transport are counted.
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
  public String name() {
    return "retry";
  }

  @Override
  public Set<ContextValue> provides() {
    return Set.of(ContextValue.ATTEMPT);
  }

  @Override
  public Set<ContextValue> requires() {
    return java.util.EnumSet.of(ContextValue.ROUTE, ContextValue.DEADLINE);
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

  /** The call's own retry policy, else its route's, else the destination's. */
  private RetryPolicy policyOf(CallContext context) {
    RetryPolicy own = context.options.retry();
    if (own != null) {
      return own;
    }
    RetryPolicy routed = context.route().retry();
    return routed != null ? routed : policy;
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
    CompletableFuture<MeshResponse> exchange;
    try {
      exchange = next.execute(request, context);
    } catch (RuntimeException e) {
      exchange = CompletableFuture.failedFuture(e);
    }
    exchange.whenComplete((response, failure) -> {
      if (timer != null) {
        timer.cancel();
      }
      onAttemptDone(request, context, next, result, attempt, response, failure);
    });
  }

  private void onAttemptDone(MeshRequest request, CallContext context, MeshClient next,
      CompletableFuture<MeshResponse> result, Attempt attempt, MeshResponse response, Throwable failure) {
    Throwable cause = failure == null ? null : Futures.unwrap(failure);
    if (response != null) {
      context.lastResponse = response;
    } else if (!isLocalRefusal(cause)) {
      context.lastFailure = cause;
    }
    if (context.callAbort != null) {
      finish(context, result, response, cause, null);
      return;
    }
    RetryPolicy retry = policyOf(context);
    String retryable = retryReason(retry, request, response, cause);
    if (retryable == null) {
      finish(context, result, response, cause, null);
      return;
    }
    if (attempt.number >= retry.maxAttempts()) {
      if (retry.maxAttempts() > 1) {
        context.retriesExhausted = "max attempts reached";
      }
      finish(context, result, response, cause, "max attempts reached");
      return;
    }
    if (!budget.tryWithdraw()) {
      context.retriesExhausted = "retry budget exhausted";
      context.telemetry.budgetExhausted(context);
      finish(context, result, response, cause, "retry budget exhausted");
      return;
    }
    ServiceInstance tried = attempt.instanceOrNull();
    if (tried != null) {
      context.addTried(tried);
    }
    context.telemetry.retried(context, retryable, attempt.number + 1);
    long delay = backoffNanos(retry, attempt.number);
    if (delay <= 0) {
      attempt(request, context, next, result, attempt.number + 1);
    } else {
      scheduler.schedule(() -> attempt(request, context, next, result, attempt.number + 1),
          delay, TimeUnit.NANOSECONDS);
    }
  }

  /** Why the outcome may be retried, or null when it may not. */
  private static String retryReason(RetryPolicy retry, MeshRequest request, MeshResponse response,
      Throwable cause) {
    boolean repeatable = request.isIdempotent() || retry.retryNonIdempotent();
    if (response != null) {
      int status = response.status();
      boolean listed = (status >= 500 && retry.retryOn().contains(RetryOn.SERVER_ERROR))
          || (!retry.retryableStatuses().isEmpty() && retry.retryableStatuses().contains(status));
      return listed && repeatable ? "status " + status : null;
    }
    if (!(cause instanceof MeshException failure) || !failure.isRetryable()) {
      return null;
    }
    RetryOn kind = kindOf(failure);
    if (!retry.retryOn().contains(kind)) {
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

  /**
   * Ends the call with the best outcome seen: this attempt's response, else the last response an
   * earlier attempt brought back (when no attempt is left or this one was refused locally), else the
   * failure of the last attempt that was sent ({@link RetriesExhaustedException} when more than one
   * was sent and {@code reason} says why no other was made).
   */
  private void finish(CallContext context, CompletableFuture<MeshResponse> result, MeshResponse response,
      Throwable cause, String reason) {
    int sent = context.attemptsSent();
    boolean local = isLocalRefusal(cause);
    MeshResponse best = response != null ? response : context.lastResponse;
    if (best != null && (response != null || reason != null || local)) {
      result.complete(best.withAttempts(Math.max(1, sent)));
      return;
    }
    Throwable last = local && context.lastFailure != null ? context.lastFailure : cause;
    if (reason != null && sent > 1) {
      result.completeExceptionally(new RetriesExhaustedException(service, sent, reason, last));
    } else {
      result.completeExceptionally(last);
    }
  }

  /** A refusal of the mesh's own making: this attempt reached no instance. */
  private static boolean isLocalRefusal(Throwable cause) {
    return cause instanceof CircuitOpenException || cause instanceof ConcurrencyLimitException
        || cause instanceof NoHealthyInstanceException || cause instanceof RateLimitedException;
  }

  private long backoffNanos(RetryPolicy retry, int attemptsDone) {
    long base = retry.backoffNanos(attemptsDone);
    return base - (long) (base * retry.jitter() * random.nextDouble());
  }

  private Scheduler.Cancellable perTryTimer(Attempt attempt, CallContext context) {
    long perTry = policyOf(context).perTryTimeout().toNanos();
    if (perTry == 0 || perTry >= context.deadlineNanos() - ticker.nanoTime()) {
      return null; // the call's deadline comes first
    }
    return scheduler.schedule(() -> {
      ServiceInstance instance = attempt.instanceOrNull();
      attempt.abort(new AttemptTimeoutException(service, "attempt " + attempt.number + " timed out after "
          + TimeUnit.NANOSECONDS.toMillis(perTry) + " ms" + (instance == null ? "" : " on " + instance.address())));
    }, perTry, TimeUnit.NANOSECONDS);
  }
}
