package io.meshwork.bench.client;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Maximum throughput: {@code concurrency} callers, each sending its next request from the
 * completion of the previous one, for a warm-up and then a measured window. Throughput, CPU and
 * latency count the calls that complete inside the window. The callers' first requests are sent
 * either from one thread each ("spread") or all from one thread, as an application's main thread or
 * a batch job would; every later request comes from a completion callback, so it runs wherever the
 * client completed the previous one.
 */
final class ClosedLoop {

  /** Past this many synchronous completions in a row a caller continues on another thread. */
  private static final int MAX_INLINE_DEPTH = 32;

  private final LoadClient client;
  private final CpuClock cpu;
  private final Tally tally = new Tally();
  private final AtomicInteger running = new AtomicInteger();
  private final CompletableFuture<Void> drained = new CompletableFuture<>();
  /** Counts down as each caller's first call ends: its connection is open (and, with TLS, secured). */
  private CountDownLatch firstCalls;
  private final ThreadLocal<int[]> depth = ThreadLocal.withInitial(() -> new int[1]);
  private final ExecutorService spill = Executors.newSingleThreadExecutor(r -> {
    Thread thread = new Thread(r, "closed-loop-spill");
    thread.setDaemon(true);
    return thread;
  });
  private volatile boolean measuring;
  private volatile boolean stopped;
  private final long maxWarmupNanos;
  private final LoopCpu loopCpu;
  /** Whether the JIT was quiet at the end of the warm-up; true when the JVM cannot tell. */
  private boolean settled = true;

  private ClosedLoop(LoadClient client, CpuClock cpu, long maxWarmupNanos) {
    this.client = client;
    this.cpu = cpu;
    this.maxWarmupNanos = maxWarmupNanos;
    this.loopCpu = new LoopCpu(client.loopThreadPrefix());
  }

  /**
   * Runs the loop, each caller started from its own thread, with a fixed warm-up; {@code drainNanos}
   * bounds the wait for the last calls.
   */
  static PhaseResult run(LoadClient client, CpuClock cpu, int concurrency, long warmupNanos, long measureNanos,
      long drainNanos) {
    return run(client, cpu, concurrency, false, warmupNanos, warmupNanos, measureNanos, drainNanos);
  }

  /**
   * Runs the loop, the callers started from one thread when {@code oneThread}, each from its own
   * otherwise; the warm-up lasts at least {@code warmupNanos} and, while the JIT is still busy, up
   * to {@code maxWarmupNanos}.
   */
  static PhaseResult run(LoadClient client, CpuClock cpu, int concurrency, boolean oneThread, long warmupNanos,
      long maxWarmupNanos, long measureNanos, long drainNanos) {
    ClosedLoop loop = new ClosedLoop(client, cpu, Math.max(warmupNanos, maxWarmupNanos));
    try {
      return loop.execute(concurrency, oneThread, warmupNanos, measureNanos, drainNanos);
    } finally {
      loop.spill.shutdownNow();
    }
  }

  private PhaseResult execute(int concurrency, boolean oneThread, long warmupNanos, long measureNanos,
      long drainNanos) {
    running.set(concurrency);
    firstCalls = new CountDownLatch(concurrency);
    if (oneThread) {
      for (int i = 0; i < concurrency; i++) {
        fire(spill, true);
      }
    } else {
      startEachFromItsOwnThread(concurrency);
    }
    // Opening the connections (TLS handshakes on a busy machine take long) is no part of the warm-up:
    // it is measured apart. A caller still waiting past the drain bound shows up as incomplete.
    awaitQuietly(firstCalls, drainNanos);
    long warmedNanos = warmUp(warmupNanos, maxWarmupNanos);
    long attempts0 = client.attempts();
    java.util.Map<Integer, Long> byPort0 = client.attemptsByPort();
    java.util.Map<String, Long> loops0 = loopCpu.snapshot();
    long cpu0 = cpu.processNanos();
    long sidecar0 = cpu.sidecarNanos();
    long start = System.nanoTime();
    measuring = true;
    parkFor(measureNanos);
    measuring = false;
    long window = System.nanoTime() - start;
    long cpuUsed = cpu.processNanos() - cpu0;
    long sidecarUsed = cpu.sidecarNanos() - sidecar0;
    java.util.Map<String, Long> loops = LoopCpu.spent(loopCpu.snapshot(), loops0);
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
    return tally.result(incomplete, window, cpuUsed, sidecarUsed, attempts, byPort)
        .withWarmup(warmedNanos / 1e9, settled).withLoopCpu(loops);
  }

  /** Sends each caller's first request from a thread of its own, and waits until all are sent. */
  private void startEachFromItsOwnThread(int concurrency) {
    Thread[] starters = new Thread[concurrency];
    for (int i = 0; i < concurrency; i++) {
      starters[i] = new Thread(() -> fire(spill, true), "closed-loop-start-" + i);
      starters[i].start();
    }
    for (Thread starter : starters) {
      try {
        starter.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while starting the callers", e);
      }
    }
  }

  /**
   * Warms up for at least {@code minNanos}, then, a second at a time and up to {@code maxNanos} in
   * all, until the JIT is quiet (under 5 % of the time compiling over the last slice): clients differ
   * widely in how long their code takes to compile (Armeria's keeps C2 busy for many seconds), and a
   * window measured while the compiler still runs would charge its CPU to the client. When the cap
   * comes first the result says so ({@code jitSettled} false). Returns the time spent.
   */
  private long warmUp(long minNanos, long maxNanos) {
    java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
    long start = System.nanoTime();
    if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
      parkFor(minNanos);
      return System.nanoTime() - start;
    }
    long slice = Math.min(1_000_000_000L, minNanos);
    parkFor(minNanos - slice);
    while (true) {
      long before = jit.getTotalCompilationTime();
      parkFor(slice);
      settled = (jit.getTotalCompilationTime() - before) * 1_000_000L < slice / 20;
      long spent = System.nanoTime() - start;
      if (settled || spent >= maxNanos) {
        return spent;
      }
    }
  }

  /** One caller's next request; {@code first} for the first of the caller. */
  private void fire(Executor executor, boolean first) {
    long start = System.nanoTime();
    CompletableFuture<?> call;
    try {
      call = client.send();
    } catch (RuntimeException e) {
      call = CompletableFuture.failedFuture(e);
    }
    call.whenComplete((response, failure) -> {
      long latency = System.nanoTime() - start;
      if (first) {
        firstCalls.countDown();
      }
      if (measuring) {
        tally.record(latency, failure == null ? client.status(response) : -1);
      }
      if (stopped) {
        if (running.decrementAndGet() == 0) {
          drained.complete(null);
        }
        return;
      }
      int[] inline = depth.get();
      if (inline[0] >= MAX_INLINE_DEPTH) {
        executor.execute(() -> fire(executor, false)); // a call that completed synchronously: do not recurse forever
        return;
      }
      inline[0]++;
      try {
        fire(executor, false);
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

  private static void awaitQuietly(CountDownLatch latch, long nanos) {
    try {
      latch.await(nanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static void parkFor(long nanos) {
    long deadline = System.nanoTime() + nanos;
    for (long left = nanos; left > 0; left = deadline - System.nanoTime()) {
      LockSupport.parkNanos(left);
    }
  }
}
