package io.meshwork.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.time.FakeTicker;
import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

/** Under a total outage, retries never exceed the budget's bound. */
class RetryBudgetProperties {

  @Property(tries = 300)
  void attemptsStayWithinTheBudgetInAnyTtlWindow(
      @ForAll @DoubleRange(min = 0.0, max = 1.0) double ratio,
      @ForAll @IntRange(min = 0, max = 20) int minPerSecond,
      @ForAll @IntRange(min = 1, max = 3000) int requests,
      @ForAll @IntRange(min = 1, max = 5) int maxAttempts,
      @ForAll @IntRange(min = 0, max = 9_000) int spreadMillis) {
    FakeTicker ticker = new FakeTicker();
    RetryBudgetConfig config = new RetryBudgetConfig(ratio, minPerSecond, Duration.ofSeconds(10));
    RetryBudget budget = RetryBudget.create(config, ticker);
    long attempts = 0;
    long step = requests == 0 ? 0 : spreadMillis * 1_000_000L / requests;
    for (int i = 0; i < requests; i++) {
      budget.deposit();
      attempts++; // the first attempt, which fails
      for (int retry = 1; retry < maxAttempts && budget.tryWithdraw(); retry++) {
        attempts++;
      }
      ticker.advance(Duration.ofNanos(step));
    }
    // Everything happened within one ttl window (under 10 s).
    double bound = (1 + ratio) * requests + minPerSecond * 10 + 1; // +1: rounding of ratio to 1/1000
    assertThat((double) attempts).isLessThanOrEqualTo(bound);
  }

  @Property(tries = 200)
  void overManyWindowsRetriesAverageNoMoreThanRatioPlusMinimum(
      @ForAll @DoubleRange(min = 0.0, max = 0.5) double ratio,
      @ForAll @IntRange(min = 0, max = 20) int minPerSecond,
      @ForAll @IntRange(min = 1, max = 200) int requestsPerSecond,
      @ForAll @IntRange(min = 10, max = 60) int seconds) {
    FakeTicker ticker = new FakeTicker();
    RetryBudget budget = RetryBudget.create(new RetryBudgetConfig(ratio, minPerSecond, Duration.ofSeconds(10)), ticker);
    long retries = 0;
    long requests = 0;
    for (int second = 0; second < seconds; second++) {
      for (int i = 0; i < requestsPerSecond; i++) {
        budget.deposit();
        requests++;
        while (budget.tryWithdraw()) {
          retries++;
        }
        ticker.advance(Duration.ofNanos(1_000_000_000L / requestsPerSecond));
      }
    }
    // Deposits and the reserve both last one ttl: over T seconds at most ratio x requests plus
    // the reserve once per started ttl window.
    long windows = (seconds + 9) / 10 + 1;
    assertThat((double) retries).isLessThanOrEqualTo(ratio * requests + 1 + minPerSecond * 10.0 * windows);
  }
}
