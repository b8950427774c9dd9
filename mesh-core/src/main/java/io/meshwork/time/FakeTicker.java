package io.meshwork.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.PriorityQueue;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A ticker and scheduler whose time moves only when a test calls {@link #advance(Duration)}; due
 * tasks then run on the calling thread, in time order. Pass it to {@code MeshBuilder.ticker(...)}
 * and the mesh's deadlines, backoffs and breaker windows all follow it. Thread-safe.
 */
public final class FakeTicker implements Ticker, Scheduler {

  private final Instant origin;
  private final PriorityQueue<Task> tasks = new PriorityQueue<>();
  private long now;
  private long sequence;

  /** A fake ticker whose wall clock starts at 2026-01-01T00:00:00Z. */
  public FakeTicker() {
    this(Instant.parse("2026-01-01T00:00:00Z"));
  }

  /** A fake ticker whose wall clock ({@link #clock()}) starts at {@code origin}. */
  public FakeTicker(Instant origin) {
    this.origin = origin;
  }

  @Override
  public synchronized long nanoTime() {
    return now;
  }

  @Override
  public Cancellable schedule(Runnable task, long delay, TimeUnit unit) {
    Task scheduled;
    synchronized (this) {
      scheduled = new Task(now + Math.max(0, unit.toNanos(delay)), sequence++, task);
      tasks.add(scheduled);
    }
    return () -> {
      synchronized (FakeTicker.this) {
        return tasks.remove(scheduled);
      }
    };
  }

  /** Moves time forward by {@code duration}, running every task that falls due, in order. */
  public void advance(Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException("duration: " + duration + " (expected: >= 0)");
    }
    long target;
    synchronized (this) {
      target = now + duration.toNanos();
    }
    while (true) {
      Task due;
      synchronized (this) {
        due = tasks.peek();
        if (due == null || due.at > target) {
          now = target;
          return;
        }
        tasks.poll();
        now = Math.max(now, due.at);
      }
      due.task.run();
    }
  }

  /** Moves time forward by {@code amount} of {@code unit}. */
  public void advance(long amount, TimeUnit unit) {
    advance(Duration.ofNanos(unit.toNanos(amount)));
  }

  /**
   * Moves time forward task by task until {@code future} is done, for at most {@code limit}: a call
   * that waits for a backoff, a per-try timeout or its deadline completes only as time passes, so a
   * test that simply joined it would hang. Time jumps straight to the next task due, so a call that
   * completes at 250 ms leaves the ticker at 250 ms, whatever the limit.
   *
   * @return how much time passed
   * @throws IllegalStateException when the future is not done after {@code limit}, or when nothing
   *     is scheduled that could complete it (it waits on something other than this ticker's time)
   */
  public Duration advanceUntilDone(Future<?> future, Duration limit) {
    if (limit.isNegative()) {
      throw new IllegalArgumentException("limit: " + limit + " (expected: >= 0)");
    }
    long start = nanoTime();
    long end = start + limit.toNanos();
    runDue();
    while (!future.isDone()) {
      long next;
      synchronized (this) {
        Task due = tasks.peek();
        if (due == null) {
          throw new IllegalStateException("the future is not done and no task is scheduled on this ticker,"
              + " so advancing time cannot complete it (after " + Duration.ofNanos(now - start) + ")");
        }
        next = due.at;
      }
      if (next > end) {
        advance(Duration.ofNanos(Math.max(0, end - nanoTime())));
        if (!future.isDone()) {
          throw new IllegalStateException("the future is not done after " + limit + " of fake time");
        }
        break;
      }
      advance(Duration.ofNanos(Math.max(0, next - nanoTime())));
    }
    return Duration.ofNanos(nanoTime() - start);
  }

  /** Runs the tasks due now without moving time. */
  public void runDue() {
    advance(Duration.ZERO);
  }

  /** The number of tasks waiting to run. */
  public synchronized int pendingTasks() {
    return tasks.size();
  }

  /** A wall clock in UTC that moves with this ticker. */
  public Clock clock() {
    return new FakeClock(ZoneOffset.UTC);
  }

  private record Task(long at, long seq, Runnable task) implements Comparable<Task> {
    @Override
    public int compareTo(Task other) {
      int byTime = Long.compare(at, other.at);
      return byTime != 0 ? byTime : Long.compare(seq, other.seq);
    }
  }

  private final class FakeClock extends Clock {
    private final ZoneId zone;

    FakeClock(ZoneId zone) {
      this.zone = zone;
    }

    @Override
    public ZoneId getZone() {
      return zone;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return new FakeClock(zone);
    }

    @Override
    public Instant instant() {
      return origin.plusNanos(nanoTime());
    }
  }
}
