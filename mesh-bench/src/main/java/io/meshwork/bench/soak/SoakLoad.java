package io.meshwork.bench.soak;

import io.meshwork.MeshResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * The soak's load on one caller: first a closed loop for the maximum throughput, then an open loop
 * at a fixed rate (requests due on a schedule whether or not earlier ones ended, so a stall cannot
 * hide by sending less). Every call's outcome is counted: successes, and failures by exception type
 * or by HTTP status.
 */
final class SoakLoad {

  private final Supplier<CompletableFuture<MeshResponse>> call;
  private final LongAdder calls = new LongAdder();
  private final LongAdder succeeded = new LongAdder();
  private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
  private final AtomicLong open = new AtomicLong();

  SoakLoad(Supplier<CompletableFuture<MeshResponse>> call) {
    this.call = call;
  }

  /**
   * Calls per second that {@code concurrency} callers complete, each sending its next call when the
   * previous one ends, over {@code measure} after {@code warmUp}. Failures are counted, not timed.
   * The callers start one at a time through the first half of the warm-up: all at once, their TLS
   * handshakes on a cold, busy machine outlast the connect timeout and get every instance ejected,
   * which would measure the ejection, not the maximum.
   */
  double closedLoopMaximum(int concurrency, Duration warmUp, Duration measure) {
    AtomicBoolean running = new AtomicBoolean(true);
    LongAdder completed = new LongAdder();
    long ramp = warmUp.toNanos() / 2 / concurrency;
    for (int i = 0; i < concurrency; i++) {
      send(running, completed);
      park(ramp);
    }
    park(warmUp.toNanos() - ramp * concurrency);
    long before = completed.sum();
    long start = System.nanoTime();
    park(measure.toNanos());
    double rate = (completed.sum() - before) / ((System.nanoTime() - start) / 1e9);
    running.set(false);
    awaitQuiet(Duration.ofSeconds(30));
    return rate;
  }

  /** Sends {@code ratePerSecond} calls on schedule for {@code duration}. */
  void openLoop(double ratePerSecond, Duration duration) {
    double interval = 1e9 / ratePerSecond;
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    for (long i = 0; ; i++) {
      long due = start + (long) (i * interval);
      if (due >= end) {
        return;
      }
      for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
        LockSupport.parkNanos(wait);
      }
      send(null, null);
    }
  }

  /** Waits up to {@code bound} for the calls in flight to end; returns how many are still open. */
  long awaitQuiet(Duration bound) {
    long deadline = System.nanoTime() + bound.toNanos();
    while (open.get() > 0 && System.nanoTime() < deadline) {
      LockSupport.parkNanos(10_000_000); // a poll: no event marks the last of many calls
    }
    return open.get();
  }

  long calls() {
    return calls.sum();
  }

  long succeeded() {
    return succeeded.sum();
  }

  /** Failed calls by type, in name order. */
  Map<String, Long> errors() {
    Map<String, Long> counts = new TreeMap<>();
    errors.forEach((type, count) -> counts.put(type, count.sum()));
    return counts;
  }

  /** Forgets the closed loop's outcomes, so the soak counts only its own. */
  void reset() {
    calls.reset();
    succeeded.reset();
    errors.clear();
  }

  private void send(AtomicBoolean running, LongAdder completed) {
    calls.increment();
    open.incrementAndGet();
    CompletableFuture<MeshResponse> future;
    try {
      future = call.get();
    } catch (RuntimeException e) {
      future = CompletableFuture.failedFuture(e);
    }
    future.whenComplete((response, failure) -> {
      open.decrementAndGet();
      record(response, failure);
      if (completed != null) {
        completed.increment();
        if (running.get()) {
          // From a completion callback of the mesh: another thread's stack, never deeper recursion
          // unless the call completed synchronously, which a network call does not.
          CompletableFuture.runAsync(() -> send(running, completed));
        }
      }
    });
  }

  private void record(MeshResponse response, Throwable failure) {
    if (failure != null) {
      errors.computeIfAbsent(type(failure), t -> new LongAdder()).increment();
    } else if (response.status() != 200) {
      errors.computeIfAbsent("HTTP " + response.status(), t -> new LongAdder()).increment();
    } else {
      succeeded.increment();
    }
  }

  /** The failure's own type, past the wrappers futures add. */
  static String type(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause.getClass().getSimpleName();
  }

  private static void park(long nanos) {
    long deadline = System.nanoTime() + nanos;
    for (long left = nanos; left > 0; left = deadline - System.nanoTime()) {
      LockSupport.parkNanos(left);
    }
  }
}
