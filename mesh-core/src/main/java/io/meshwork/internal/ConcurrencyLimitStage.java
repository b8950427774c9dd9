package io.meshwork.internal;

import io.meshwork.ConcurrencyLimitException;
import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import io.meshwork.policy.ConcurrencyLimits;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * At most {@code maxInFlight} attempts of the destination on the wire, and {@code maxPending} more
 * waiting in a FIFO queue for a slot; beyond both, the attempt fails fast without being sent.
 * Counting is two atomics; the queue is touched only when the destination is saturated.
 */
final class ConcurrencyLimitStage implements Stage {

  private final String service;
  private final ConcurrencyLimits limits;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger pending = new AtomicInteger();
  private final Queue<Waiter> queue = new ConcurrentLinkedQueue<>();

  ConcurrencyLimitStage(String service, ConcurrencyLimits limits) {
    this.service = service;
    this.limits = limits;
  }

  @Override
  public String name() {
    return "concurrency limit";
  }

  @Override
  public Set<ContextValue> requires() {
    return Set.of(ContextValue.ATTEMPT);
  }

  @Override
  public MeshClient wrap(MeshClient next) {
    return (request, context) -> {
      if (tryTake()) {
        return run(request, context, next);
      }
      if (pending.incrementAndGet() > limits.maxPending()) {
        pending.decrementAndGet();
        return CompletableFuture.failedFuture(new ConcurrencyLimitException(service, limits.maxInFlight()
            + " attempts in flight and " + limits.maxPending() + " pending: limit reached"));
      }
      Waiter waiter = new Waiter(request, context, next);
      queue.add(waiter);
      context.attempt().attach(waiter);
      drain();
      return waiter;
    };
  }

  /** Attempts on the wire now, for the in-flight gauge. */
  int inFlight() {
    return inFlight.get();
  }

  /** Attempts waiting for a slot now, for the pending gauge. */
  int pending() {
    return pending.get();
  }

  private boolean tryTake() {
    while (true) {
      int current = inFlight.get();
      if (current >= limits.maxInFlight()) {
        return false;
      }
      if (inFlight.compareAndSet(current, current + 1)) {
        return true;
      }
    }
  }

  private CompletableFuture<MeshResponse> run(MeshRequest request, CallContext context, MeshClient next) {
    CompletableFuture<MeshResponse> attempt;
    try {
      attempt = next.execute(request, context);
    } catch (RuntimeException e) {
      attempt = CompletableFuture.failedFuture(e);
    }
    return attempt.whenComplete((response, failure) -> {
      inFlight.decrementAndGet();
      drain();
    });
  }

  /** Hands free slots to waiters, skipping those already aborted. */
  private void drain() {
    while (!queue.isEmpty() && tryTake()) {
      Waiter waiter = queue.poll();
      if (waiter == null) {
        inFlight.decrementAndGet();
        return;
      }
      pending.decrementAndGet();
      if (waiter.isDone()) {
        inFlight.decrementAndGet();
        continue;
      }
      run(waiter.request, waiter.context, waiter.next)
          .whenComplete((response, failure) -> Futures.copy(response, failure, waiter));
    }
  }

  /** An attempt waiting for a slot. */
  private static final class Waiter extends CompletableFuture<MeshResponse> {
    final MeshRequest request;
    final CallContext context;
    final MeshClient next;

    Waiter(MeshRequest request, CallContext context, MeshClient next) {
      this.request = request;
      this.context = context;
      this.next = next;
    }
  }
}
