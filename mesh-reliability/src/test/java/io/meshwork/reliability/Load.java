package io.meshwork.reliability;

import io.meshwork.Mesh;
import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * The same load for every fault: {@value #THREADS} threads, each making one GET after the other
 * through the mesh, every call with the deadline of {@link Catalogue#policy()}. A call that has
 * not ended {@link #GRACE} after its deadline counts as hung and is abandoned.
 */
final class Load implements AutoCloseable {

  static final int THREADS = 4;
  /** How long past its deadline a call may take to end before it counts as hung. */
  static final Duration GRACE = Duration.ofSeconds(1);
  private static final Duration BOUND = Duration.ofSeconds(90);

  private final Mesh mesh;
  private final String service;
  private final List<Thread> threads = new ArrayList<>();
  private final LongAdder made = new LongAdder();
  private final AtomicLong ended = new AtomicLong();
  private final LongAdder succeeded = new LongAdder();
  private final LongAdder succeededMeasured = new LongAdder();
  private final LongAdder hung = new LongAdder();
  private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
  private final AtomicLong lastFailureEnd = new AtomicLong(Long.MIN_VALUE);
  private volatile long faultStart;
  /** Whether calls count: from the fault's start on; the warm-up's calls (a cold JVM's) do not. */
  private volatile boolean measuring;
  private volatile boolean stopping;

  private Load(Mesh mesh, String service) {
    this.mesh = mesh;
    this.service = service;
  }

  /** Starts the threads and waits until {@code warm} calls have succeeded. */
  static Load start(Mesh mesh, String service, int warm) {
    Load load = new Load(mesh, service);
    for (int t = 0; t < THREADS; t++) {
      Thread thread = new Thread(load::callInALoop, "load-" + t);
      thread.setDaemon(true);
      load.threads.add(thread);
      thread.start();
    }
    load.await(() -> load.succeeded.sum(), warm, "successful warm-up calls");
    return load;
  }

  /** Marks the fault's start: the time to recover counts from here, unless it ends. */
  void faultStarts() {
    faultStart = System.nanoTime();
    measuring = true;
  }

  /** Waits until {@code calls} more calls have ended (whatever their outcome). */
  void awaitCalls(long calls) {
    long target = ended.get() + calls;
    await(ended::get, target, "ended calls");
  }

  /** Marks the fault's end: the time to recover counts from here. */
  void faultEnds() {
    faultStart = System.nanoTime();
  }

  /** Lets the load run for {@code length}: only for faults defined by how long they last. */
  void runFor(Duration length) {
    LockSupport.parkNanos(length.toNanos());
  }

  /** Stops the threads (each ends its call under way, within its deadline) and says what happened. */
  Outcome stop(Row row) {
    close();
    Map<String, Long> byType = new TreeMap<>();
    failures.forEach((type, count) -> byType.put(type, count.sum()));
    long last = lastFailureEnd.get();
    Duration recovery = last == Long.MIN_VALUE ? null : Duration.ofNanos(Math.max(0, last - faultStart));
    return new Outcome(row, made.sum(), succeededMeasured.sum(), byType, hung.sum(), recovery);
  }

  @Override
  public void close() {
    stopping = true;
    for (Thread thread : threads) {
      try {
        thread.join(Catalogue.DEADLINE.plus(GRACE).plusSeconds(5).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (thread.isAlive()) {
        throw new AssertionError(thread.getName() + " did not end: a call outlived its deadline and grace");
      }
    }
  }

  private void callInALoop() {
    long i = 0;
    while (!stopping) {
      boolean counted = measuring;
      if (counted) {
        made.increment();
      }
      CompletableFuture<MeshResponse> call = mesh.call(service, MeshRequest.get("/items/" + i++));
      try {
        MeshResponse response = call.get(Catalogue.DEADLINE.plus(GRACE).toMillis(), TimeUnit.MILLISECONDS);
        if (response.status() / 100 == 2) {
          succeeded.increment();
          if (counted) {
            succeededMeasured.increment();
          }
        } else if (counted) {
          failed("HTTP " + response.status());
        }
      } catch (TimeoutException e) {
        hung.increment(); // in the warm-up too: no call may hang, ever
        call.cancel(true);
      } catch (ExecutionException | CompletionException e) {
        if (!counted) {
          continue;
        }
        String type = e.getCause().getClass().getSimpleName();
        if (failures.get(type) == null) {
          // The first of each type, in the test's output: what a user would read.
          System.out.println("first " + type + ": " + e.getCause().getMessage());
        }
        failed(type);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      ended.incrementAndGet();
    }
  }

  private void failed(String type) {
    failures.computeIfAbsent(type, k -> new LongAdder()).increment();
    lastFailureEnd.accumulateAndGet(System.nanoTime(), Math::max);
  }

  private void await(LongSupplier counter, long target, String what) {
    long end = System.nanoTime() + BOUND.toNanos();
    while (counter.getAsLong() < target) {
      if (System.nanoTime() - end > 0) {
        throw new AssertionError("only " + counter.getAsLong() + " of " + target + " " + what + " within " + BOUND
            + "; failures so far: " + failures);
      }
      LockSupport.parkNanos(1_000_000);
    }
  }
}
