package io.meshwork.netty.testing;

import io.meshwork.CallOptions;
import io.meshwork.Mesh;
import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A well-behaved client that keeps calling a service while an attack runs, one call at a time with
 * a deadline, and counts what happened to it: the measure of the harm an attack does to others.
 */
public final class Bystander implements AutoCloseable {

  private static final Duration DEADLINE = Duration.ofSeconds(5);

  private final Mesh caller;
  private final String service;
  private final Thread thread;
  private final AtomicInteger succeeded = new AtomicInteger();
  private final List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, Integer> failures = Collections.synchronizedMap(new TreeMap<>());
  private volatile boolean running = true;

  private Bystander(Mesh caller, String service) {
    this.caller = caller;
    this.service = service;
    this.thread = new Thread(this::callUntilStopped, "bystander");
  }

  /** Starts calling {@code service} through {@code caller}. */
  public static Bystander start(Mesh caller, String service) {
    Bystander bystander = new Bystander(caller, service);
    bystander.thread.start();
    return bystander;
  }

  private void callUntilStopped() {
    CallOptions options = CallOptions.builder().timeout(DEADLINE).build();
    while (running) {
      long start = System.nanoTime();
      try {
        MeshResponse response = caller.call(service, MeshRequest.get("/bystander"), options)
            .get(DEADLINE.toMillis() + 5_000, TimeUnit.MILLISECONDS);
        if (response.status() == 200) {
          latencies.add(System.nanoTime() - start);
          succeeded.incrementAndGet();
          synchronized (this) {
            notifyAll();
          }
        } else {
          failures.merge("status " + response.status(), 1, Integer::sum);
        }
      } catch (ExecutionException e) {
        failures.merge(e.getCause().getClass().getSimpleName(), 1, Integer::sum);
      } catch (TimeoutException e) {
        failures.merge("hung past its deadline", 1, Integer::sum);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Waits until {@code more} calls succeeded after this one was made; fails after {@code bound}. */
  public synchronized void awaitMoreSuccesses(int more, Duration bound) throws InterruptedException {
    int target = succeeded.get() + more;
    long end = System.nanoTime() + bound.toNanos();
    while (succeeded.get() < target) {
      long left = end - System.nanoTime();
      if (left <= 0 || !thread.isAlive()) {
        throw new AssertionError("the well-behaved client made " + (succeeded.get() - target + more) + " of "
            + more + " calls within " + bound + "; failures: " + failures);
      }
      wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 100))); // woken by each success
    }
  }

  /** Calls that succeeded so far. */
  public int succeeded() {
    return succeeded.get();
  }

  /** Stops calling and says how it went. */
  public Report stop() throws InterruptedException {
    running = false;
    thread.join(DEADLINE.toMillis() + 10_000);
    List<Long> sorted;
    synchronized (latencies) {
      sorted = new ArrayList<>(latencies);
    }
    Collections.sort(sorted);
    return new Report(succeeded.get(), Map.copyOf(failures), millis(sorted, 0.5), millis(sorted, 0.99),
        millis(sorted, 1.0));
  }

  @Override
  public void close() throws InterruptedException {
    if (running) {
      stop();
    }
  }

  private static double millis(List<Long> sorted, double quantile) {
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    int index = (int) Math.min(sorted.size() - 1, Math.ceil(quantile * sorted.size()) - 1);
    return sorted.get(Math.max(0, index)) / 1e6;
  }

  /** What the well-behaved client saw: successes, failures by kind, latency of the successes. */
  public record Report(int succeeded, Map<String, Integer> failures, double p50Millis, double p99Millis,
      double maxMillis) {
    /** One line for the test's output. */
    public String line(String attack) {
      return String.format("%-44s bystander: %5d ok, failures %s, p50 %.1f ms, p99 %.1f ms, max %.1f ms",
          attack, succeeded, failures, p50Millis, p99Millis, maxMillis);
    }
  }
}
