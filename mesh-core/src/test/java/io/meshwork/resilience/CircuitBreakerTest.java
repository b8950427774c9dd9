package io.meshwork.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.time.FakeTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {

  private final FakeTicker ticker = new FakeTicker();
  private final List<String> transitions = new ArrayList<>();

  private CircuitBreaker breaker(CircuitBreakerConfig config) {
    return CircuitBreaker.of(config, ticker, (from, to) -> transitions.add(from + "->" + to));
  }

  private static CircuitBreakerConfig.Builder config() {
    return CircuitBreakerConfig.builder().consecutiveFailures(3).minimumRequests(10)
        .failureRateThreshold(0.5).slidingWindow(Duration.ofSeconds(10))
        .openDuration(Duration.ofSeconds(5)).halfOpenProbes(2);
  }

  @Test
  void opensAfterConsecutiveFailuresAndRefusesCalls() {
    CircuitBreaker breaker = breaker(config().build());
    for (int i = 0; i < 3; i++) {
      assertThat(breaker.tryAcquire()).isTrue();
      breaker.onFailure();
    }
    assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
    assertThat(breaker.tryAcquire()).isFalse();
    assertThat(transitions).containsExactly("CLOSED->OPEN");
  }

  @Test
  void aSuccessResetsTheRunOfFailures() {
    CircuitBreaker breaker = breaker(config().failureRateThreshold(1.0).build());
    for (int round = 0; round < 5; round++) {
      acquire(breaker).onFailure();
      acquire(breaker).onFailure();
      acquire(breaker).onSuccess();
    }
    assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void opensWhenTheFailureRateOverTheWindowPassesTheThreshold() {
    CircuitBreaker breaker = breaker(config().consecutiveFailures(0).build());
    for (int i = 0; i < 9; i++) {
      acquire(breaker);
      if (i % 2 == 0) {
        breaker.onFailure();
      } else {
        breaker.onSuccess();
      }
    }
    assertThat(breaker.state()).as("9 calls: below the minimum").isEqualTo(CircuitState.CLOSED);
    acquire(breaker).onFailure(); // 10 calls, 6 failed
    assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
  }

  @Test
  void failuresOutsideTheWindowNoLongerCount() {
    CircuitBreaker breaker = breaker(config().consecutiveFailures(0).build());
    for (int i = 0; i < 9; i++) {
      acquire(breaker).onFailure();
    }
    ticker.advance(Duration.ofSeconds(11));
    acquire(breaker).onFailure();
    assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void halfOpenAfterTheOpenDurationLetsBoundedProbesThroughAndClosesOnTheirSuccess() {
    CircuitBreaker breaker = opened();
    ticker.advance(Duration.ofSeconds(4));
    assertThat(breaker.tryAcquire()).isFalse();
    ticker.advance(Duration.ofSeconds(1));
    assertThat(breaker.state()).isEqualTo(CircuitState.HALF_OPEN);
    assertThat(breaker.tryAcquire()).isTrue();
    assertThat(breaker.tryAcquire()).isTrue();
    assertThat(breaker.tryAcquire()).as("only two probes at once").isFalse();
    breaker.onSuccess();
    breaker.onSuccess();
    assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
    assertThat(transitions).containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->CLOSED");
  }

  @Test
  void aFailedProbeReopensTheCircuit() {
    CircuitBreaker breaker = opened();
    ticker.advance(Duration.ofSeconds(5));
    acquire(breaker).onFailure();
    assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
    assertThat(breaker.tryAcquire()).isFalse();
  }

  @Test
  void aCancelledProbeReturnsItsPermitSoHalfOpenCannotGetStuck() {
    CircuitBreaker breaker = opened();
    ticker.advance(Duration.ofSeconds(5));
    for (int round = 0; round < 10; round++) {
      assertThat(breaker.tryAcquire()).isTrue();
      assertThat(breaker.tryAcquire()).isTrue();
      breaker.onIgnored();
      breaker.onIgnored();
    }
    acquire(breaker).onSuccess();
    acquire(breaker).onSuccess();
    assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void aListenerThatThrowsDoesNotBreakTheBreaker() {
    CircuitBreaker breaker = CircuitBreaker.of(config().build(), ticker, (from, to) -> {
      throw new IllegalStateException("listener bug");
    });
    for (int i = 0; i < 3; i++) {
      acquire(breaker).onFailure();
    }
    assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
  }

  @Test
  void badSettingsAreRejectedWithTheFieldAndValue() {
    assertThatThrownBy(() -> CircuitBreakerConfig.builder().halfOpenProbes(0))
        .hasMessage("halfOpenProbes: 0 (expected: >= 1)");
    assertThatThrownBy(() -> CircuitBreakerConfig.builder().failureRateThreshold(1.5))
        .hasMessageContaining("failureRateThreshold: 1.5");
    assertThatThrownBy(() -> CircuitBreakerConfig.builder().openDuration(Duration.ZERO))
        .hasMessage("openDuration: PT0S (expected: > 0)");
  }

  private CircuitBreaker opened() {
    CircuitBreaker breaker = breaker(config().build());
    for (int i = 0; i < 3; i++) {
      acquire(breaker).onFailure();
    }
    assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
    return breaker;
  }

  private static CircuitBreaker acquire(CircuitBreaker breaker) {
    assertThat(breaker.tryAcquire()).isTrue();
    return breaker;
  }
}
