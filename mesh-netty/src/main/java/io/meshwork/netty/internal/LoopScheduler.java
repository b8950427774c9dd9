package io.meshwork.netty.internal;

import io.meshwork.time.Scheduler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mesh's deadlines, per-try timeouts and backoff, on the timer queues the transport's event
 * loops already have (a timerfd with epoll): no timer thread of its own. A timer set on a loop (a
 * call made there, the usual case once calls chain from callbacks) goes into that loop's queue, so
 * a call's deadline is set, fired and, once the call ends on the same loop, cancelled with no
 * thread hop. A timer set from any other thread goes to the loops in turn, through the loop's task
 * queue. (A timer wheel had them
 * once: its thread woke every millisecond whether or not anything was due, and handed over and
 * took back every call's deadline, a few per cent of the client's CPU at full load.)
 *
 * <p>After {@link #close()}, and when the loops shut down, tasks still pending (and any scheduled
 * later) move to the JDK's shared delayed executor at their original deadline, so a call waiting on
 * a timer when the transport closes still ends instead of hanging.
 */
public final class LoopScheduler implements Scheduler, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LoopScheduler.class);

  private final EventLoops loops;
  private final AtomicInteger next = new AtomicInteger();
  private volatile boolean stopped;

  /** Timers on {@code loops}. */
  public LoopScheduler(EventLoops loops) {
    this.loops = loops;
  }

  @Override
  public Cancellable schedule(Runnable task, long delay, TimeUnit unit) {
    long delayNanos = Math.max(0, unit.toNanos(delay));
    Task scheduled = new Task(task, System.nanoTime() + delayNanos);
    if (!stopped) {
      int loop = loops.currentIndex();
      if (loop < 0) {
        loop = Math.floorMod(next.getAndIncrement(), loops.size());
      }
      try {
        ScheduledFuture<?> onLoop = loops.loop(loop).schedule((Runnable) scheduled, delayNanos,
            TimeUnit.NANOSECONDS);
        scheduled.onLoop = onLoop;
        onLoop.addListener(scheduled); // hears of a loop shutting down with the task still pending
        return scheduled;
      } catch (RejectedExecutionException shuttingDown) {
        // the loops are going away: the fallback takes the task
      }
    }
    scheduled.runOffLoop();
    return scheduled;
  }

  /** Takes no more timers on the loops; those set later keep their deadlines on the JDK's delayed executor. */
  @Override
  public void close() {
    stopped = true;
  }

  /** One task: runs at most once, or is cancelled; whichever comes first wins. */
  private static final class Task implements Cancellable, Runnable, GenericFutureListener<Future<Object>> {
    private static final AtomicIntegerFieldUpdater<Task> STATE =
        AtomicIntegerFieldUpdater.newUpdater(Task.class, "state");
    private static final int PENDING = 0;
    private static final int DONE = 1;

    private final Runnable task;
    private final long deadlineNanos;
    volatile ScheduledFuture<?> onLoop;
    private volatile int state;

    Task(Runnable task, long deadlineNanos) {
      this.task = task;
      this.deadlineNanos = deadlineNanos;
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
      ScheduledFuture<?> loopTimer = onLoop;
      if (loopTimer != null) {
        loopTimer.cancel(false); // leaves the loop's timer queue now rather than at expiry
      }
      return true;
    }

    /** The loop's timer ended: cancelled by {@link #cancel()}, or by the loop shutting down. */
    @Override
    public void operationComplete(Future<Object> done) {
      if (done.isCancelled() && state == PENDING) {
        runOffLoop(); // the loop went away first: the task still fires at its deadline
      }
    }

    void runOffLoop() {
      long left = Math.max(0, deadlineNanos - System.nanoTime());
      CompletableFuture.delayedExecutor(left, TimeUnit.NANOSECONDS).execute(this);
    }
  }
}
