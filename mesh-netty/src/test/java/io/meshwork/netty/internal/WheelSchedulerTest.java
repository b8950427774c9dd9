package io.meshwork.netty.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.time.Scheduler;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Timers set on an event loop stay on it; timers of any other thread go on the wheel. */
class WheelSchedulerTest {

  private final EventLoops loops = new EventLoops(2, false, "wheel-test");
  private final WheelScheduler scheduler = new WheelScheduler(Duration.ofMillis(1), "wheel-test-timer", loops);

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
  void aTimerOfAnyOtherThreadFiresOnTheWheel() throws Exception {
    CompletableFuture<String> firedOn = new CompletableFuture<>();
    scheduler.schedule(() -> firedOn.complete(Thread.currentThread().getName()), 5, TimeUnit.MILLISECONDS);

    assertThat(firedOn.get(5, TimeUnit.SECONDS)).startsWith("wheel-test-timer");
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
