package io.meshwork.netty.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.time.Scheduler;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Timers set on an event loop stay on it; timers of any other thread go to the loops in turn. */
class LoopSchedulerTest {

  private final EventLoops loops = new EventLoops(2, false, "timer-test");
  private final LoopScheduler scheduler = new LoopScheduler(loops);

  @AfterEach
  void stop() {
    loops.shutdown(Duration.ofSeconds(5));
    scheduler.close();
  }

  @Test
  void aTimerSetOnALoopFiresOnThatLoop() throws Exception {
    CompletableFuture<String> firedOn = new CompletableFuture<>();
    loops.loop(1).execute(() -> scheduler.schedule(() -> firedOn.complete(Thread.currentThread().getName()),
        5, TimeUnit.MILLISECONDS));
    String loopThread = loops.loop(1).submit(() -> Thread.currentThread().getName()).get(5, TimeUnit.SECONDS);

    assertThat(firedOn.get(5, TimeUnit.SECONDS)).isEqualTo(loopThread);
  }

  @Test
  void timersOfAnyOtherThreadTakeTheLoopsInTurn() throws Exception {
    CompletableFuture<String> first = new CompletableFuture<>();
    CompletableFuture<String> second = new CompletableFuture<>();
    scheduler.schedule(() -> first.complete(Thread.currentThread().getName()), 5, TimeUnit.MILLISECONDS);
    scheduler.schedule(() -> second.complete(Thread.currentThread().getName()), 5, TimeUnit.MILLISECONDS);

    assertThat(first.get(5, TimeUnit.SECONDS)).startsWith("timer-test");
    assertThat(second.get(5, TimeUnit.SECONDS)).startsWith("timer-test").isNotEqualTo(first.get());
  }

  @Test
  void timersSetAfterCloseStillFire() throws Exception {
    CountDownLatch fired = new CountDownLatch(1);
    scheduler.close();

    scheduler.schedule(fired::countDown, 5, TimeUnit.MILLISECONDS);

    assertThat(fired.await(5, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void aCancelledLoopTimerNeverFires() throws Exception {
    CountDownLatch cancelledRan = new CountDownLatch(1);
    CountDownLatch laterRan = new CountDownLatch(1);
    boolean cancelled = loops.loop(0).submit(() -> {
      Scheduler.Cancellable timer = scheduler.schedule(cancelledRan::countDown, 20, TimeUnit.MILLISECONDS);
      scheduler.schedule(laterRan::countDown, 60, TimeUnit.MILLISECONDS);
      return timer.cancel() && !timer.cancel();
    }).get(5, TimeUnit.SECONDS);

    assertThat(cancelled).as("the first cancel wins, the second does nothing").isTrue();
    assertThat(laterRan.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(cancelledRan.getCount()).as("the cancelled timer did not fire before a later one").isEqualTo(1);
  }

  @Test
  void aLoopTimerPendingWhenTheLoopsStopStillFires() throws Exception {
    CountDownLatch fired = new CountDownLatch(1);
    loops.loop(0).submit(() -> scheduler.schedule(fired::countDown, 300, TimeUnit.MILLISECONDS))
        .get(5, TimeUnit.SECONDS);

    loops.shutdown(Duration.ofSeconds(5));
    scheduler.close();

    assertThat(fired.await(5, TimeUnit.SECONDS)).as("no call waits forever on a closed transport").isTrue();
  }
}
