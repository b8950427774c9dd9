package io.meshwork.resilience;

import io.meshwork.time.Ticker;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The breaker's state machine. The state is an immutable object swapped by compare-and-set, only
 * along the transitions of {@link #LEGAL}. Closed counts outcomes in atomics; half-open hands out at
 * most {@code halfOpenProbes} permits at once and counts the successes that come back.
 */
final class DefaultCircuitBreaker implements CircuitBreaker {

  private static final Logger log = LoggerFactory.getLogger(DefaultCircuitBreaker.class);

  /** The one table of legal transitions. */
  static final Map<CircuitState, Set<CircuitState>> LEGAL = new EnumMap<>(Map.of(
      CircuitState.CLOSED, EnumSet.of(CircuitState.OPEN),
      CircuitState.OPEN, EnumSet.of(CircuitState.HALF_OPEN),
      CircuitState.HALF_OPEN, EnumSet.of(CircuitState.CLOSED, CircuitState.OPEN)));

  private final CircuitBreakerConfig config;
  private final Ticker ticker;
  private final Listener listener;
  private final State closed = new State(CircuitState.CLOSED, 0);
  private final AtomicReference<State> state = new AtomicReference<>(closed);
  private final AtomicInteger consecutiveFailures = new AtomicInteger();
  private final OutcomeWindow window;

  DefaultCircuitBreaker(CircuitBreakerConfig config, Ticker ticker, Listener listener) {
    this.config = config;
    this.ticker = ticker;
    this.listener = listener;
    this.window = new OutcomeWindow(config.slidingWindow().toNanos());
  }

  @Override
  public boolean tryAcquire() {
    while (true) {
      State current = state.get();
      switch (current.name) {
        case CLOSED:
          return true;
        case OPEN:
          if (ticker.nanoTime() - current.openUntilNanos < 0) {
            return false;
          }
          transition(current, new State(CircuitState.HALF_OPEN, 0));
          continue;
        default:
          int permits = current.permits.get();
          if (permits >= config.halfOpenProbes()) {
            return false;
          }
          if (current.permits.compareAndSet(permits, permits + 1)) {
            return true;
          }
      }
    }
  }

  @Override
  public void onSuccess() {
    State current = state.get();
    switch (current.name) {
      case CLOSED:
        window.record(ticker.nanoTime(), false);
        if (consecutiveFailures.get() != 0) {
          consecutiveFailures.set(0);
        }
        break;
      case HALF_OPEN:
        current.returnPermit();
        if (current.successes.incrementAndGet() >= config.halfOpenProbes()) {
          transition(current, closed);
        }
        break;
      default:
        // A call let through before the circuit opened: it no longer counts.
    }
  }

  @Override
  public void onFailure() {
    State current = state.get();
    long now = ticker.nanoTime();
    switch (current.name) {
      case CLOSED:
        window.record(now, true);
        int inARow = consecutiveFailures.incrementAndGet();
        boolean tooMany = config.consecutiveFailures() > 0 && inARow >= config.consecutiveFailures();
        if (tooMany || window.exceeds(now, config.minimumRequests(), config.failureRateThreshold())) {
          transition(current, open(now));
        }
        break;
      case HALF_OPEN:
        current.returnPermit();
        transition(current, open(now));
        break;
      default:
    }
  }

  @Override
  public void onIgnored() {
    State current = state.get();
    if (current.name == CircuitState.HALF_OPEN) {
      current.returnPermit();
    }
  }

  @Override
  public CircuitState state() {
    State current = state.get();
    if (current.name == CircuitState.OPEN && ticker.nanoTime() - current.openUntilNanos >= 0) {
      transition(current, new State(CircuitState.HALF_OPEN, 0));
      return state.get().name;
    }
    return current.name;
  }

  @Override
  public String toString() {
    return "CircuitBreaker{" + state.get().name + "}";
  }

  private State open(long now) {
    return new State(CircuitState.OPEN, now + config.openDuration().toNanos());
  }

  private void transition(State from, State to) {
    if (!LEGAL.get(from.name).contains(to.name)) {
      throw new IllegalStateException("illegal breaker transition " + from.name + " -> " + to.name);
    }
    if (!state.compareAndSet(from, to)) {
      return; // another thread moved it first
    }
    if (to.name == CircuitState.CLOSED) {
      window.reset();
      consecutiveFailures.set(0);
    }
    try {
      listener.onStateChange(from.name, to.name);
    } catch (RuntimeException e) {
      log.warn("circuit breaker listener failed on {} -> {}", from.name, to.name, e);
    }
  }

  /** One state; the counters are used in half-open only. */
  private static final class State {
    final CircuitState name;
    final long openUntilNanos;
    final AtomicInteger permits = new AtomicInteger();
    final AtomicInteger successes = new AtomicInteger();

    State(CircuitState name, long openUntilNanos) {
      this.name = name;
      this.openUntilNanos = openUntilNanos;
    }

    void returnPermit() {
      permits.getAndUpdate(n -> n > 0 ? n - 1 : 0);
    }
  }
}
