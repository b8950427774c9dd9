package io.meshwork.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.time.FakeTicker;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The breaker against a small reference model, over random sequences of calls, outcomes and time
 * steps, with every permit returned by exactly one outcome.
 */
class CircuitBreakerProperties {

  enum Event { ACQUIRE, SUCCESS, FAILURE, IGNORE, ADVANCE_SECOND, ADVANCE_OPEN }

  private static final int THRESHOLD = 3;
  private static final int PROBES = 2;
  private static final Duration OPEN = Duration.ofSeconds(5);

  @Property(tries = 500)
  void behavesAsTheReferenceModel(@ForAll("events") List<Event> events) {
    FakeTicker ticker = new FakeTicker();
    CircuitBreaker breaker = CircuitBreaker.of(CircuitBreakerConfig.builder()
        .consecutiveFailures(THRESHOLD).failureRateThreshold(1.0).minimumRequests(1000)
        .openDuration(OPEN).halfOpenProbes(PROBES).build(), ticker, (from, to) -> {});
    Model model = new Model();
    for (Event event : events) {
      switch (event) {
        case ACQUIRE -> assertThat(breaker.tryAcquire()).isEqualTo(model.acquire(ticker.nanoTime()));
        case SUCCESS, FAILURE, IGNORE -> {
          if (model.held > 0) {
            model.outcome(event, ticker.nanoTime());
            switch (event) {
              case SUCCESS -> breaker.onSuccess();
              case FAILURE -> breaker.onFailure();
              default -> breaker.onIgnored();
            }
          }
        }
        case ADVANCE_SECOND -> ticker.advance(Duration.ofSeconds(1));
        case ADVANCE_OPEN -> ticker.advance(OPEN);
      }
      assertThat(breaker.state()).isEqualTo(model.state(ticker.nanoTime()));
    }
  }

  @Property(tries = 500)
  void neverStuckHalfOpenWhenEveryPermitComesBack(@ForAll("events") List<Event> events) {
    FakeTicker ticker = new FakeTicker();
    CircuitBreaker breaker = CircuitBreaker.of(CircuitBreakerConfig.builder().consecutiveFailures(THRESHOLD)
        .openDuration(OPEN).halfOpenProbes(PROBES).build(), ticker, (from, to) -> {});
    int held = 0;
    for (Event event : events) {
      switch (event) {
        case ACQUIRE -> held += breaker.tryAcquire() ? 1 : 0;
        case SUCCESS, FAILURE, IGNORE -> {
          if (held > 0) {
            held--;
            if (event == Event.SUCCESS) {
              breaker.onSuccess();
            } else if (event == Event.FAILURE) {
              breaker.onFailure();
            } else {
              breaker.onIgnored();
            }
          }
        }
        case ADVANCE_SECOND -> ticker.advance(Duration.ofSeconds(1));
        case ADVANCE_OPEN -> ticker.advance(OPEN);
      }
    }
    for (; held > 0; held--) {
      breaker.onIgnored();
    }
    // All permits are back: after the open duration, successful probes must close it.
    ticker.advance(OPEN);
    for (int i = 0; i < PROBES; i++) {
      assertThat(breaker.tryAcquire()).isTrue();
    }
    for (int i = 0; i < PROBES; i++) {
      breaker.onSuccess();
    }
    assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
  }

  @Provide
  Arbitrary<List<Event>> events() {
    return Arbitraries.of(Event.class).list().ofMaxSize(80);
  }

  /** The reference: consecutive failures only, permits tracked per state generation. */
  private static final class Model {
    CircuitState state = CircuitState.CLOSED;
    long openUntil;
    int consecutive;
    int probesOut;
    int probeSuccesses;
    int held;
    /** Permits held that were granted in the current half-open period. */
    int heldProbes;

    boolean acquire(long now) {
      refresh(now);
      boolean granted = switch (state) {
        case CLOSED -> true;
        case OPEN -> false;
        case HALF_OPEN -> probesOut < PROBES;
      };
      if (granted) {
        held++;
        if (state == CircuitState.HALF_OPEN) {
          probesOut++;
          heldProbes++;
        }
      }
      return granted;
    }

    void outcome(Event event, long now) {
      refresh(now);
      held--;
      boolean probe = heldProbes > 0 && state == CircuitState.HALF_OPEN;
      if (heldProbes > 0) {
        heldProbes--;
      }
      switch (state) {
        case CLOSED -> {
          if (event == Event.FAILURE) {
            if (++consecutive >= THRESHOLD) {
              open(now);
            }
          } else if (event == Event.SUCCESS) {
            consecutive = 0;
          }
        }
        case HALF_OPEN -> {
          // The implementation counts any outcome while half-open against the probes.
          probesOut = Math.max(0, probesOut - 1);
          if (event == Event.FAILURE) {
            open(now);
          } else if (event == Event.SUCCESS && ++probeSuccesses >= PROBES) {
            state = CircuitState.CLOSED;
            consecutive = 0;
            heldProbes = 0;
          }
        }
        default -> {
          // Outcomes of calls let through before the circuit opened do not count.
        }
      }
      if (!probe && state == CircuitState.CLOSED && heldProbes > 0) {
        heldProbes = 0;
      }
    }

    CircuitState state(long now) {
      refresh(now);
      return state;
    }

    private void open(long now) {
      state = CircuitState.OPEN;
      openUntil = now + OPEN.toNanos();
      heldProbes = 0;
    }

    private void refresh(long now) {
      if (state == CircuitState.OPEN && now >= openUntil) {
        state = CircuitState.HALF_OPEN;
        probesOut = 0;
        probeSuccesses = 0;
      }
    }
  }
}
