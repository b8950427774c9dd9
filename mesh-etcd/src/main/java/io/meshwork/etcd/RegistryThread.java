package io.meshwork.etcd;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One named daemon thread of a registry that runs its tasks in order. Tasks handed to it after the
 * registry closed are dropped: they come from jetcd callbacks that may still fire while it shuts down.
 */
final class RegistryThread implements Executor {

  private static final AtomicInteger REGISTRIES = new AtomicInteger();

  private final String name;
  private final ScheduledThreadPoolExecutor executor;

  RegistryThread(String role) {
    this.name = "meshwork-etcd-" + role + "-" + REGISTRIES.incrementAndGet();
    this.executor = new ScheduledThreadPoolExecutor(1, task -> {
      Thread thread = new Thread(task, name);
      thread.setDaemon(true);
      return thread;
    });
    executor.setRemoveOnCancelPolicy(true);
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  @Override
  public void execute(Runnable task) {
    try {
      executor.execute(task);
    } catch (RejectedExecutionException closed) {
      // The registry is closed: nothing is left to update.
    }
  }

  /** Runs {@code task} after {@code delayMillis}; null when the registry is closed. */
  ScheduledFuture<?> schedule(Runnable task, long delayMillis) {
    try {
      return executor.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException closed) {
      return null;
    }
  }

  /** The executor itself, for callers that wait on a task. */
  ScheduledExecutorService executor() {
    return executor;
  }

  /** Whether the caller runs on this thread (a listener closing the registry, for instance). */
  boolean isCurrent() {
    return Thread.currentThread().getName().equals(name);
  }

  /** Stops taking tasks, interrupts the one running, and waits for it up to {@code bound}. */
  void shutdown(Duration bound) {
    executor.shutdownNow();
    try {
      executor.awaitTermination(bound.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
