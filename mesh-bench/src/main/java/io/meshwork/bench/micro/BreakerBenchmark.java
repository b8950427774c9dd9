package io.meshwork.bench.micro;

import io.meshwork.resilience.CircuitBreaker;
import io.meshwork.resilience.CircuitBreakerConfig;
import io.meshwork.resilience.RetryBudget;
import io.meshwork.resilience.RetryBudgetConfig;
import io.meshwork.time.Ticker;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** A breaker permit with its outcome, and a retry budget deposit with a withdrawal. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BreakerBenchmark {

  private final CircuitBreaker breaker = CircuitBreaker.of(CircuitBreakerConfig.defaults());
  private final RetryBudget budget = RetryBudget.create(RetryBudgetConfig.defaults(), Ticker.system());

  @Benchmark
  public boolean acquireAndRecordSuccess() {
    boolean granted = breaker.tryAcquire();
    breaker.onSuccess();
    return granted;
  }

  @Benchmark
  public boolean budgetDepositAndWithdraw() {
    budget.deposit();
    return budget.tryWithdraw();
  }
}
