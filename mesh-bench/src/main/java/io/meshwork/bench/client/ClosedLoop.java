package io.meshwork.bench.client;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Maximum throughput: {@code concurrency} callers, each sending its next request as soon as the
 * previous one completes, for a warm-up and then a measured window. Throughput, CPU and latency
 * count the calls that complete inside the window.
 */
final class ClosedLoop {

  /** Past this many synchronous completions in a row a caller continues on another thread. */
  private static final int MAX_INLINE_DEPTH = 32;

  private final LoadClient client;
  private final CpuClock cpu;
  private final Tally tally = new Tally();
  private final AtomicInteger running = new AtomicInteger();
  private final CompletableFuture<Void> drained = new CompletableFuture<>();
  private final ThreadLocal<int[]> depth = ThreadLocal.withInitial(() -> new int[1]);
  private final ExecutorService spill = Executors.newSingleThreadExecutor(r -> {
    Thread thread = new Thread(r, "closed-loop-spill");
    thread.setDaemon(true);
    return thread;
  });
  private volatile boolean measuring;
  private volatile boolean stopped;
  private final long maxWarmupNanos;
  private long warmedNanos;

  private ClosedLoop(LoadClient client, CpuClock cpu, long maxWarmupNanos) {
    this.client = client;
    this.cpu = cpu;
    this.maxWarmupNanos = maxWarmupNanos;
  }

  /** Runs the loop with a fixed warm-up; {@code drainNanos} bounds the wait for the last calls. */
  static PhaseResult run(LoadClient client, CpuClock cpu, int concurrency, long warmupNanos, long measureNanos,
      long drainNanos) {
    return run(client, cpu, concurrency, warmupNanos, warmupNanos, measureNanos, drainNanos);
  }

  /**
   * Runs the loop; the warm-up lasts at least {@code warmupNanos} and, while the JIT is still busy,
   * up to {@code maxWarmupNanos}.
   */
  static PhaseResult run(LoadClient client, CpuClock cpu, int concurrency, long warmupNanos, long maxWarmupNanos,
      long measureNanos, long drainNanos) {
    ClosedLoop loop = new ClosedLoop(client, cpu, Math.max(warmupNanos, maxWarmupNanos));
    try {
      return loop.execute(concurrency, warmupNanos, measureNanos, drainNanos);
    } finally {
      loop.spill.shutdownNow();
    }
  }

  private PhaseResult execute(int concurrency, long warmupNanos, long measureNanos, long drainNanos) {
    running.set(concurrency);
    for (int i = 0; i < concurrency; i++) {
      fire(spill);
    }
    parkFor(warmupNanos);
    warmedNanos = warmupNanos + settleJit(maxWarmupNanos - warmupNanos);
    long attempts0 = client.attempts();
    java.util.Map<Integer, Long> byPort0 = client.attemptsByPort();
    long cpu0 = cpu.processNanos();
    long sidecar0 = cpu.sidecarNanos();
    long start = System.nanoTime();
    measuring = true;
    parkFor(measureNanos);
    measuring = false;
    long window = System.nanoTime() - start;
    long cpuUsed = cpu.processNanos() - cpu0;
    long sidecarUsed = cpu.sidecarNanos() - sidecar0;
    long attempts = attempts0 < 0 ? -1 : client.attempts() - attempts0;
    java.util.Map<Integer, Long> byPort = difference(client.attemptsByPort(), byPort0);
    stopped = true;
    long incomplete = 0;
    try {
      drained.get(drainNanos, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      incomplete = running.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      incomplete = running.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException(e);
    }
    return tally.result(incomplete, window, cpuUsed, sidecarUsed, attempts, byPort).withWarmup(warmedNanos / 1e9);
  }

  /**
   * Prolongs the warm-up, a second at a time and for at most {@code budgetNanos}, while the JIT is
   * still compiling much (over 5 % of a second per second): clients differ widely in how long their
   * code takes to compile (Armeria's keeps C2 busy for many seconds), and a window measured while the
   * compiler still runs would charge its CPU to the client. Returns the extra time spent.
   */
  private static long settleJit(long budgetNanos) {
    java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
    if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
      return 0;
    }
    long start = System.nanoTime();
    while (System.nanoTime() - start < budgetNanos) {
      long before = jit.getTotalCompilationTime();
      parkFor(1_000_000_000L);
      if (jit.getTotalCompilationTime() - before < 50) {
        break;
      }
    }
    return System.nanoTime() - start;
  }

  /** One caller's next request. */
  private void fire(Executor executor) {
    long start = System.nanoTime();
    CompletableFuture<Integer> call;
    try {
      call = client.send();
    } catch (RuntimeException e) {
      call = CompletableFuture.failedFuture(e);
    }
    call.whenComplete((status, failure) -> {
      long latency = System.nanoTime() - start;
      if (measuring) {
        tally.record(latency, status, failure);
      }
      if (stopped) {
        if (running.decrementAndGet() == 0) {
          drained.complete(null);
        }
        return;
      }
      int[] inline = depth.get();
      if (inline[0] >= MAX_INLINE_DEPTH) {
        executor.execute(() -> fire(executor)); // a call that completed synchronously: do not recurse forever
        return;
      }
      inline[0]++;
      try {
        fire(executor);
      } finally {
        inline[0]--;
      }
    });
  }

  /** {@code after - before}, per key. */
  static java.util.Map<Integer, Long> difference(java.util.Map<Integer, Long> after, java.util.Map<Integer, Long> before) {
    java.util.Map<Integer, Long> delta = new java.util.TreeMap<>();
    after.forEach((port, count) -> delta.put(port, count - before.getOrDefault(port, 0L)));
    return delta;
  }

  static void parkFor(long nanos) {
    long deadline = System.nanoTime() + nanos;
    for (long left = nanos; left > 0; left = deadline - System.nanoTime()) {
      LockSupport.parkNanos(left);
    }
  }
}
