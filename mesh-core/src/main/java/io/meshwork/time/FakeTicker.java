package io.meshwork.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.PriorityQueue;
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
