package io.meshwork.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.CallOptions;
import io.meshwork.InvalidConfigurationException;
import io.meshwork.resilience.RetryBudget;
import io.meshwork.resilience.RetryBudgetConfig;
import io.meshwork.resilience.RetryPolicy;
import io.meshwork.time.FakeTicker;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The chain's contract: a stage that needs a value another stage sets cannot be left without it. */
class CallChainTest {

  private final FakeTicker ticker = new FakeTicker();

  private RetryStage retry() {
    return new RetryStage("svc", RetryPolicy.defaults(), RetryBudget.create(RetryBudgetConfig.defaults(), ticker),
        ticker, ticker, new Random(1));
  }

  private TransportStage transport() {
    return new TransportStage(ticker);
  }

  private Stage route() {
    return new FixedRouteStage(null);
  }

  @Test
  void aChainWithoutTheStageAnotherNeedsFailsWhenBuiltNamingBoth() {
    assertThatThrownBy(() -> CallChain.assemble("svc", List.of(route(), retry()), transport()))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessage("svc: the retry stage needs the deadline set by the deadline stage, and no deadline"
            + " stage comes before it in the chain");
  }

  @Test
  void aStagePlacedInsideTheOneItNeedsIsRefusedToo() {
    DeadlineStage deadline = new DeadlineStage("svc", java.time.Duration.ofSeconds(1), ticker, ticker);
    assertThatThrownBy(() -> CallChain.assemble("svc", List.of(route(), retry(), deadline), transport()))
        .hasMessageContaining("the retry stage needs the deadline set by the deadline stage");
  }

  @Test
  void theTransportNamesTheBalanceStageWhenNoneIsInTheChain() {
    DeadlineStage deadline = new DeadlineStage("svc", java.time.Duration.ofSeconds(1), ticker, ticker);
    assertThatThrownBy(() -> CallChain.assemble("svc", List.of(route(), deadline, retry()), transport()))
        .hasMessage("svc: the transport stage needs the instance set by the balance stage, and no balance"
            + " stage comes before it in the chain");
  }

  @Test
  void withoutARouteStageTheDeadlineStageIsRefused() {
    DeadlineStage deadline = new DeadlineStage("svc", java.time.Duration.ofSeconds(1), ticker, ticker);
    assertThatThrownBy(() -> CallChain.assemble("svc", List.of(deadline), transport()))
        .hasMessage("svc: the deadline stage needs the route set by the route stage, and no route stage"
            + " comes before it in the chain");
  }

  @Test
  void readingAValueWhoseStageHasNotRunFailsWithAMessageNamingThatStage() {
    CallContext context = new CallContext("svc", CallOptions.none(), null, 0);
    assertThatThrownBy(context::deadlineNanos).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("deadline is not set (it is set by the deadline stage");
    assertThatThrownBy(context::attempt).hasMessageContaining("set by the retry stage");
    assertThatThrownBy(context::route).hasMessageContaining("set by the route stage");
    Attempt attempt = context.beginAttempt(1);
    assertThat(context.attempt()).isSameAs(attempt);
    assertThatThrownBy(attempt::instance).hasMessageContaining("set by the balance stage");
  }
}
