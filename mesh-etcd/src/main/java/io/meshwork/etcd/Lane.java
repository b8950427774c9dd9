package io.meshwork.etcd;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one registry's tasks of one kind (its watch events, or its writes) one at a time and in order,
 * on threads of a pool that other registries of the same connection may share: a process with one
 * registry has one thread per kind, a simulation of thousands of registries does not have thousands
 * of threads. Tasks handed to it after it was shut down are dropped: they come from gRPC callbacks
 * that may still fire while the registry closes.
 */
final class Lane implements Executor {

  private static final Logger log = LoggerFactory.getLogger(Lane.class);
  private static final ThreadLocal<Lane> CURRENT = new ThreadLocal<>();
  /** Tasks run in one turn before the pool thread is handed back: other lanes get their turn. */
  private static final int TURN = 64;

  private final String name;
  private final ScheduledExecutorService pool;
  private final Queue<Runnable> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final Object runningLock = new Object();
  private Thread running; // guarded by runningLock: the thread inside one of this lane's tasks
  private volatile boolean shutdown;

  Lane(String name, ScheduledExecutorService pool) {
    this.name = name;
    this.pool = pool;
  }

  @Override
  public void execute(Runnable task) {
    if (shutdown) {
      return;
    }
    queue.add(task);
    if (queued.getAndIncrement() == 0) {
      submitTurn();
    }
  }

  /** Runs {@code task} on this lane after {@code delayMillis}; null when the lane is shut down. */
  ScheduledFuture<?> schedule(Runnable task, long delayMillis) {
    if (shutdown) {
      return null;
    }
    try {
      return pool.schedule(() -> execute(task), delayMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException closed) {
      return null;
    }
  }

  /** Runs {@code task} on this lane; the future completes when it has run (or fails if it threw). */
  CompletableFuture<Void> submit(Runnable task) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    execute(() -> {
      try {
        task.run();
        done.complete(null);
      } catch (RuntimeException e) {
        done.completeExceptionally(e);
      }
    });
    return done;
  }

  /**
   * Runs {@code task} on this lane and waits up to {@code bound} for it, as an owner that closes
   * does; called from a task of this lane (a listener closing its owner) it runs {@code task} at
   * once, since waiting would wait for itself. Returns whether it ran within the bound.
   */
  boolean runAndWait(Runnable task, Duration bound) {
    if (isCurrent()) {
      task.run();
      return true;
    }
    try {
      submit(task).get(bound.toNanos(), TimeUnit.NANOSECONDS);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException | TimeoutException e) {
      return false;
    }
  }

  /** Whether the caller runs inside one of this lane's tasks. */
  boolean isCurrent() {
    return CURRENT.get() == this;
  }

  /**
   * Stops taking tasks and drops those queued, interrupts the one running (a write blocked on an
   * etcd that does not answer) and waits up to {@code bound} for it to end.
   */
  void shutdown(Duration bound) {
    shutdown = true;
    queue.clear();
    if (isCurrent()) {
      return; // a task of this lane closing its own registry: it ends when it returns
    }
    long end = System.nanoTime() + bound.toNanos();
    synchronized (runningLock) {
      if (running != null) {
        running.interrupt();
      }
      try {
        while (running != null && System.nanoTime() < end) {
          runningLock.wait(Math.max(1, (end - System.nanoTime()) / 1_000_000));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void submitTurn() {
    try {
      pool.execute(this::turn);
    } catch (RejectedExecutionException closed) {
      shutdown = true; // the connection is closed: nothing is left to run
      queue.clear();
    }
  }

  private void turn() {
    CURRENT.set(this);
    try {
      for (int i = 0; i < TURN; i++) {
        Runnable task = queue.poll();
        if (task != null && !shutdown) {
          runOne(task);
        }
        if (queued.decrementAndGet() == 0) {
          return;
        }
      }
      submitTurn(); // more are queued: continue after the pool's other work
    } finally {
      CURRENT.remove();
    }
  }

  private void runOne(Runnable task) {
    synchronized (runningLock) {
      running = Thread.currentThread();
    }
    try {
      task.run();
    } catch (RuntimeException | Error e) {
      log.warn("task on {} failed", name, e);
    } finally {
      synchronized (runningLock) {
        running = null;
        Thread.interrupted(); // an interrupt meant for this task must not reach the pool's next one
        runningLock.notifyAll();
      }
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
