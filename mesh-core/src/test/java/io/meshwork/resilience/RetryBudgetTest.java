package io.meshwork.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.time.FakeTicker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryBudgetTest {

  private final FakeTicker ticker = new FakeTicker();

  @Test
  void aQuietDestinationMayStillRetryItsMinimum() {
    RetryBudget budget = RetryBudget.create(new RetryBudgetConfig(0.2, 10, Duration.ofSeconds(10)), ticker);
    int granted = 0;
    while (budget.tryWithdraw()) {
      granted++;
    }
    assertThat(granted).isEqualTo(100); // 10 per second over the 10 s ttl
  }

  @Test
  void eachCallAddsItsRatioOfARetry() {
    RetryBudget budget = RetryBudget.create(new RetryBudgetConfig(0.2, 0, Duration.ofSeconds(10)), ticker);
    for (int i = 0; i < 50; i++) {
      budget.deposit();
    }
    assertThat(budget.available()).isEqualTo(10);
  }

  @Test
  void spentRetriesComeBackAfterTheTtl() {
    RetryBudget budget = RetryBudget.create(new RetryBudgetConfig(0.2, 10, Duration.ofSeconds(10)), ticker);
    while (budget.tryWithdraw()) {
      // drain the reserve
    }
    assertThat(budget.tryWithdraw()).isFalse();
    ticker.advance(Duration.ofSeconds(5));
    assertThat(budget.tryWithdraw()).isFalse();
    ticker.advance(Duration.ofSeconds(6));
    assertThat(budget.available()).isEqualTo(100);
  }

  @Test
  void depositsExpireAfterTheTtl() {
    RetryBudget budget = RetryBudget.create(new RetryBudgetConfig(1.0, 0, Duration.ofSeconds(10)), ticker);
    for (int i = 0; i < 20; i++) {
      budget.deposit();
    }
    ticker.advance(Duration.ofSeconds(11));
    assertThat(budget.available()).isZero();
  }

  @Test
  void badSettingsAreRejectedWithTheFieldAndValue() {
    assertThatThrownBy(() -> new RetryBudgetConfig(-0.1, 10, Duration.ofSeconds(10)))
        .hasMessage("ratio: -0.1 (expected: 0.0..1000.0)");
    assertThatThrownBy(() -> new RetryBudgetConfig(0.2, 10, Duration.ofMillis(10)))
        .hasMessage("ttl: PT0.01S (expected: 1s..60s)");
    assertThatThrownBy(() -> RetryPolicy.builder().maxAttempts(0))
        .hasMessage("maxAttempts: 0 (expected: 1..100)");
    assertThatThrownBy(() -> RetryPolicy.builder().backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)).build())
        .hasMessageContaining("maxBackoff: PT1S (expected: >= initialBackoff PT2S)");
  }
}
