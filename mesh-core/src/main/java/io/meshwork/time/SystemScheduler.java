package io.meshwork.time;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Scheduler} on one daemon thread of the system clock. Used when neither the ticker nor the
 * transport supplies a scheduler of its own.
 */
public final class SystemScheduler implements Scheduler, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SystemScheduler.class);

  private final ScheduledThreadPoolExecutor executor;

  /** A scheduler whose thread is named {@code name}. */
  public SystemScheduler(String name) {
    executor = new ScheduledThreadPoolExecutor(1, runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    });
    executor.setRemoveOnCancelPolicy(true);
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  @Override
  public Cancellable schedule(Runnable task, long delay, TimeUnit unit) {
    ScheduledFuture<?> future = executor.schedule(() -> {
      try {
        task.run();
      } catch (RuntimeException | Error e) {
        log.warn("scheduled task failed", e);
      }
    }, delay, unit);
    return () -> future.cancel(false);
  }

  /** Stops the thread; tasks not yet run are dropped. */
  @Override
  public void close() {
    executor.shutdownNow();
  }
}
