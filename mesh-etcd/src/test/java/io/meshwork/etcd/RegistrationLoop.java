package io.meshwork.etcd;

import io.meshwork.registry.ServiceInstance;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Registers one new instance after another on a thread of its own, recording when each succeeded or
 * failed, and checks after each that discovery is not empty: the load of a failover test.
 */
final class RegistrationLoop {

  private final EtcdServiceRegistry writer;
  private final EtcdServiceRegistry reader;
  private final List<Integer> emptied;
  private final List<long[]> outcomes = new CopyOnWriteArrayList<>(); // {nanoTime, 1 ok / 0 failed}
  private final List<String> errors = new CopyOnWriteArrayList<>();
  private final Thread thread;
  private volatile boolean running = true;

  RegistrationLoop(EtcdServiceRegistry writer, EtcdServiceRegistry reader, List<Integer> emptied) {
    this.writer = writer;
    this.reader = reader;
    this.emptied = emptied;
    this.thread = new Thread(this::run, "registration-loop");
  }

  void start() {
    thread.start();
  }

  void stop() throws InterruptedException {
    running = false;
    thread.join(15_000);
  }

  private void run() {
    for (int i = 1; running; i++) {
      ServiceInstance instance = ServiceInstance.builder("shipping", "10.2.0.1:" + (10000 + i))
          .host("10.2.0.1").port(10000 + i % 50000).build();
      try {
        writer.register(instance).get(10, TimeUnit.SECONDS);
        outcomes.add(new long[] {System.nanoTime(), 1});
      } catch (Exception e) {
        outcomes.add(new long[] {System.nanoTime(), 0});
        errors.add(String.valueOf(e.getCause() != null ? e.getCause() : e));
      }
      if (reader.discover("shipping").isEmpty()) {
        emptied.add(i);
      }
    }
  }

  /** The failures' messages. */
  List<String> errors() {
    return errors;
  }

  long successes() {
    return outcomes.stream().filter(o -> o[1] == 1).count();
  }

  long failuresSince(long since) {
    return outcomes.stream().filter(o -> o[0] > since && o[1] == 0).count();
  }

  /**
   * Whether, after {@code since}, registrations have succeeded without a failure for {@code spanNanos}
   * up to the latest outcome.
   */
  boolean healthySince(long since, long spanNanos) {
    if (outcomes.isEmpty()) {
      return false;
    }
    long[] last = outcomes.get(outcomes.size() - 1);
    long streakStart = since + recoveredAfter(since);
    return last[1] == 1 && last[0] > since && last[0] - streakStart >= spanNanos;
  }

  /** Nanoseconds from {@code since} to the first success that no failure followed. */
  long recoveredAfter(long since) {
    long firstGoodAfterLastFailure = since;
    boolean failed = false;
    for (long[] outcome : outcomes) {
      if (outcome[0] <= since) {
        continue;
      }
      if (outcome[1] == 0) {
        failed = true;
      } else if (failed) {
        firstGoodAfterLastFailure = outcome[0];
        failed = false;
      }
    }
    return firstGoodAfterLastFailure - since;
  }

  /** The longest time between two successful registrations, counting up to the latest outcome. */
  long longestGapMillis() {
    long previous = 0;
    long longest = 0;
    for (long[] outcome : outcomes) {
      if (previous != 0) {
        longest = Math.max(longest, outcome[0] - previous);
      }
      if (outcome[1] == 1) {
        previous = outcome[0];
      }
    }
    return longest / 1_000_000;
  }
}
