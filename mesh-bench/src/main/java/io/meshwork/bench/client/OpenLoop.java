package io.meshwork.bench.client;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Latency at a fixed rate, as wrk2 measures it: requests are due on a fixed schedule whether or not
 * earlier ones have completed, and each latency is counted from the moment its request was due,
 * not from when it was actually sent. A stalled client or server therefore cannot hide its stall
 * by sending less (coordinated omission): the requests it should have sent are late, and counted so.
 */
final class OpenLoop {

  private final LoadClient client;
  private final Tally tally = new Tally();
  private final AtomicLong issued = new AtomicLong();
  private final AtomicLong completed = new AtomicLong();
  private final CompletableFuture<Void> drained = new CompletableFuture<>();
  private volatile boolean stopped;

  private OpenLoop(LoadClient client) {
    this.client = client;
  }

  /** Runs {@code ratePerSecond} for a warm-up and a measured window, then waits for stragglers. */
  static PhaseResult run(LoadClient client, CpuClock cpu, double ratePerSecond, long warmupNanos,
      long measureNanos, long drainNanos) {
    return new OpenLoop(client).execute(cpu, ratePerSecond, warmupNanos, measureNanos, drainNanos);
  }

  private PhaseResult execute(CpuClock cpu, double rate, long warmupNanos, long measureNanos, long drainNanos) {
    double interval = 1e9 / rate;
    long start = System.nanoTime();
    long windowStart = start + warmupNanos;
    long end = windowStart + measureNanos;
    long cpu0 = 0;
    long sidecar0 = 0;
    long attempts0 = 0;
    java.util.Map<Integer, Long> byPort0 = java.util.Map.of();
    boolean inWindow = false;
    for (long i = 0; ; i++) {
      long due = start + (long) (i * interval);
      if (due >= end) {
        break;
      }
      if (!inWindow && due >= windowStart) {
        inWindow = true;
        attempts0 = client.attempts();
        byPort0 = client.attemptsByPort();
        cpu0 = cpu.processNanos();
        sidecar0 = cpu.sidecarNanos();
      }
      for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
        LockSupport.parkNanos(wait);
      }
      issue(due, inWindow);
    }
    long window = System.nanoTime() - windowStart;
    long cpuUsed = cpu.processNanos() - cpu0;
    long sidecarUsed = cpu.sidecarNanos() - sidecar0;
    long attempts = attempts0 < 0 ? -1 : client.attempts() - attempts0;
    java.util.Map<Integer, Long> byPort = ClosedLoop.difference(client.attemptsByPort(), byPort0);
    stopped = true;
    if (completed.get() == issued.get()) {
      drained.complete(null);
    }
    long incomplete = 0;
    try {
      drained.get(drainNanos, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      incomplete = issued.get() - completed.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      incomplete = issued.get() - completed.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException(e);
    }
    return tally.result(incomplete, window, cpuUsed, sidecarUsed, attempts, byPort);
  }

  private void issue(long due, boolean measured) {
    issued.incrementAndGet();
    CompletableFuture<?> call;
    try {
      call = client.send();
    } catch (RuntimeException e) {
      call = CompletableFuture.failedFuture(e);
    }
    call.whenComplete((response, failure) -> {
      if (measured) {
        tally.record(System.nanoTime() - due, failure == null ? client.status(response) : -1);
      }
      if (completed.incrementAndGet() == issued.get() && stopped) {
        drained.complete(null);
      }
    });
  }
}
