package io.meshwork.traffic;

import java.time.Duration;
import java.util.Objects;

/**
 * Faults a route injects into its own calls, to test how callers cope: a fixed delay for a
 * percentage of calls, and an abort (a status, or a connection error) for a percentage. Decisions
 * come from the mesh's random source; a delay runs on the mesh's scheduler and counts against the
 * call's deadline. Off unless a route has one.
 *
 * @param delayPercent the share of calls delayed, 0..100
 * @param delay how long a delayed call waits before it goes on
 * @param abortPercent the share of calls aborted, 0..100
 * @param abortStatus the status an aborted call answers with, or 0 for a connection error
 */
public record FaultInjection(double delayPercent, Duration delay, double abortPercent, int abortStatus) {

  /** Checks every field. */
  public FaultInjection {
    percent("fault.delay.percent", delayPercent);
    Objects.requireNonNull(delay, "delay");
    if (delay.isNegative() || (delayPercent > 0 && delay.isZero())) {
      throw new IllegalArgumentException("fault.delay.fixedDelay: " + delay + " (expected: > 0)");
    }
    percent("fault.abort.percent", abortPercent);
    if (abortStatus != 0 && (abortStatus < 200 || abortStatus > 599)) {
      throw new IllegalArgumentException("fault.abort.httpStatus: " + abortStatus
          + " (expected: 200..599, or 0 for a connection error)");
    }
  }

  /** Delays {@code percent} of calls by {@code delay}. */
  public static FaultInjection delay(double percent, Duration delay) {
    return new FaultInjection(percent, delay, 0, 0);
  }

  /** Answers {@code percent} of calls with {@code status} instead of calling the service. */
  public static FaultInjection abort(double percent, int status) {
    if (status == 0) {
      throw new IllegalArgumentException("fault.abort.httpStatus: 0 (expected: 200..599; use"
          + " abortWithConnectionError for a connection error)");
    }
    return new FaultInjection(0, Duration.ZERO, percent, status);
  }

  /** Fails {@code percent} of calls as if the connection had been reset. */
  public static FaultInjection abortWithConnectionError(double percent) {
    return new FaultInjection(0, Duration.ZERO, percent, 0);
  }

  /** This fault with a delay as well. */
  public FaultInjection withDelay(double percent, Duration delay) {
    return new FaultInjection(percent, delay, abortPercent, abortStatus);
  }

  private static void percent(String field, double value) {
    if (!(value >= 0 && value <= 100)) {
      throw new IllegalArgumentException(field + ": " + value + " (expected: 0..100)");
    }
  }
}
