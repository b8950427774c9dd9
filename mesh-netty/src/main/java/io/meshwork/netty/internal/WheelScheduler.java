package io.meshwork.netty.internal;

import io.meshwork.time.Scheduler;
import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import io.netty.util.TimerTask;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mesh's deadlines, per-try timeouts and backoff on a Netty hashed wheel: adding and cancelling
 * a task is a lock-free queue offer, which keeps timers off the contended path of every call.
 *
 * <p>After {@link #close()}, tasks still pending (and any scheduled later) move to the JDK's shared
 * delayed executor at their original deadline, so a call waiting on a timer when the transport
 * closes still ends instead of hanging.
 */
public final class WheelScheduler implements Scheduler, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(WheelScheduler.class);

  private final HashedWheelTimer timer;
  private volatile boolean stopped;

  /** A wheel ticking every {@code tick}, its thread named {@code name}. */
  public WheelScheduler(Duration tick, String name) {
    this.timer = new HashedWheelTimer(new DefaultThreadFactory(name, true), tick.toNanos(),
        TimeUnit.NANOSECONDS, 1024, true, -1);
  }

  @Override
  public Cancellable schedule(Runnable task, long delay, TimeUnit unit) {
    long delayNanos = Math.max(0, unit.toNanos(delay));
    Task scheduled = new Task(task, System.nanoTime() + delayNanos);
    if (!stopped) {
      try {
        scheduled.timeout = timer.newTimeout(scheduled, delayNanos, TimeUnit.NANOSECONDS);
        return scheduled;
      } catch (IllegalStateException closedMeanwhile) {
        // stop() ran between the check and newTimeout: fall through to the fallback.
      }
    }
    scheduled.runOffWheel();
    return scheduled;
  }

  /** Stops the wheel's thread; pending tasks keep their deadlines on the JDK's delayed executor. */
  @Override
  public void close() {
    stopped = true;
    Set<Timeout> left = timer.stop();
    for (Timeout timeout : left) {
      if (timeout.task() instanceof Task task) {
        task.runOffWheel();
      }
    }
  }

  /** One task: runs at most once, or is cancelled; whichever comes first wins. */
  private static final class Task implements TimerTask, Cancellable, Runnable {
    private static final AtomicIntegerFieldUpdater<Task> STATE =
        AtomicIntegerFieldUpdater.newUpdater(Task.class, "state");
    private static final int PENDING = 0;
    private static final int DONE = 1;

    private final Runnable task;
    private final long deadlineNanos;
    volatile Timeout timeout;
    private volatile int state;

    Task(Runnable task, long deadlineNanos) {
      this.task = task;
      this.deadlineNanos = deadlineNanos;
    }

    @Override
    public void run(Timeout timeout) {
      run();
    }

    @Override
    public void run() {
      if (!STATE.compareAndSet(this, PENDING, DONE)) {
        return;
      }
      try {
        task.run();
      } catch (RuntimeException | Error e) {
        log.warn("scheduled task failed", e);
      }
    }

    @Override
    public boolean cancel() {
      if (!STATE.compareAndSet(this, PENDING, DONE)) {
        return false;
      }
      Timeout current = timeout;
      if (current != null) {
        current.cancel(); // frees its slot in the wheel now rather than at expiry
      }
      return true;
    }

    void runOffWheel() {
      long left = Math.max(0, deadlineNanos - System.nanoTime());
      CompletableFuture.delayedExecutor(left, TimeUnit.NANOSECONDS).execute(this);
    }
  }
}
