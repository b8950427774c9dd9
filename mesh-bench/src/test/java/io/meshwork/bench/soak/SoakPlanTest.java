package io.meshwork.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class SoakPlanTest {

  @Test
  void oneServerRestartsEveryTwoMinutesAndAShortCheckRestartsOnceHalfWay() {
    assertThat(SoakMain.plannedRestarts(Duration.ofMinutes(10))).isEqualTo(4);
    assertThat(SoakMain.restartAt(Duration.ofMinutes(10), 4)).isEqualTo(Duration.ofMinutes(8));
    assertThat(SoakMain.plannedRestarts(Duration.ofMinutes(3))).isEqualTo(1);
    assertThat(SoakMain.plannedRestarts(Duration.ofMinutes(1))).isEqualTo(1);
    assertThat(SoakMain.restartAt(Duration.ofMinutes(1), 1)).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void minutesMustBeAPositiveNumber() {
    assertThat(SoakMain.minutes("1.5")).isEqualTo(1.5);
    assertThatThrownBy(() -> SoakMain.minutes("ten")).hasMessage(
        "--soak minutes: ten (expected: a number of minutes > 0 and <= 1440)");
    assertThatThrownBy(() -> SoakMain.minutes("0")).hasMessageContaining("--soak minutes: 0");
  }

  @Test
  void errorsAreCountedByTheFailuresOwnType() {
    CompletableFuture<Object> failed = CompletableFuture.failedFuture(new IllegalStateException("x"))
        .thenApply(v -> v);
    Throwable wrapped = failed.handle((v, e) -> e).join();
    assertThat(wrapped).isInstanceOf(CompletionException.class);
    assertThat(SoakLoad.type(wrapped)).isEqualTo("IllegalStateException");
  }
}
