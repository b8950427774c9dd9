package io.meshwork.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FakeTickerTest {

  private final FakeTicker ticker = new FakeTicker();

  @Test
  void advanceUntilDoneJumpsToTheTaskThatCompletesTheFuture() {
    CompletableFuture<String> future = new CompletableFuture<>();
    ticker.schedule(() -> { }, 10, TimeUnit.MILLISECONDS);
    ticker.schedule(() -> future.complete("done"), 250, TimeUnit.MILLISECONDS);
    ticker.schedule(() -> future.complete("too late"), 900, TimeUnit.MILLISECONDS);

    Duration passed = ticker.advanceUntilDone(future, Duration.ofSeconds(30));

    assertThat(future.join()).isEqualTo("done");
    assertThat(passed).isEqualTo(Duration.ofMillis(250));
    assertThat(ticker.nanoTime()).isEqualTo(Duration.ofMillis(250).toNanos());
    assertThat(ticker.pendingTasks()).isEqualTo(1);
  }

  @Test
  void advanceUntilDoneFollowsTasksThatScheduleTasks() {
    CompletableFuture<Integer> future = new CompletableFuture<>();
    Runnable[] step = new Runnable[1];
    int[] runs = new int[1];
    step[0] = () -> {
      if (++runs[0] == 5) {
        future.complete(runs[0]);
      } else {
        ticker.schedule(step[0], 1, TimeUnit.SECONDS);
      }
    };
    ticker.schedule(step[0], 1, TimeUnit.SECONDS);

    assertThat(ticker.advanceUntilDone(future, Duration.ofMinutes(1))).isEqualTo(Duration.ofSeconds(5));
    assertThat(future.join()).isEqualTo(5);
  }

  @Test
  void advanceUntilDoneOfADoneFutureRunsOnlyWhatIsDueNow() {
    int[] ran = new int[1];
    ticker.schedule(() -> ran[0]++, 0, TimeUnit.SECONDS);
    ticker.schedule(() -> ran[0]++, 1, TimeUnit.SECONDS);

    assertThat(ticker.advanceUntilDone(CompletableFuture.completedFuture("x"), Duration.ofSeconds(5)))
        .isZero();
    assertThat(ran[0]).isEqualTo(1);
  }

  @Test
  void advanceUntilDoneStopsAtTheLimit() {
    CompletableFuture<String> future = new CompletableFuture<>();
    ticker.schedule(() -> future.complete("late"), 2, TimeUnit.MINUTES);

    assertThatThrownBy(() -> ticker.advanceUntilDone(future, Duration.ofMinutes(1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the future is not done after PT1M of fake time");
    assertThat(ticker.nanoTime()).isEqualTo(Duration.ofMinutes(1).toNanos());
    assertThat(future).isNotDone();
  }

  @Test
  void advanceUntilDoneFailsAtOnceWhenNothingIsScheduled() {
    CompletableFuture<String> future = new CompletableFuture<>();
    ticker.schedule(() -> { }, 3, TimeUnit.SECONDS);

    assertThatThrownBy(() -> ticker.advanceUntilDone(future, Duration.ofMinutes(1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no task is scheduled")
        .hasMessageContaining("after PT3S");
  }

  @Test
  void aNegativeLimitIsRejected() {
    assertThatThrownBy(() -> ticker.advanceUntilDone(new CompletableFuture<>(), Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("limit: PT-1S (expected: >= 0)");
  }
}
