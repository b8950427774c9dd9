package io.meshwork.traffic;

import java.util.Objects;

/**
 * A copy of a percentage of a route's calls sent to another destination, fire and forget: its answer
 * and its failures never reach the caller, it adds nothing to the caller's latency, and it takes no
 * retry and nothing from the caller's retry budget.
 *
 * @param destination where the copies go (its weight is ignored)
 * @param percent the share of calls copied, 0..100
 */
public record Mirror(RouteDestination destination, double percent) {

  /** Checks both fields. */
  public Mirror {
    Objects.requireNonNull(destination, "mirror.destination");
    if (!(percent >= 0 && percent <= 100)) {
      throw new IllegalArgumentException("mirror.percent: " + percent + " (expected: 0..100)");
    }
  }

  /** Copies {@code percent} of calls to {@code destination}. */
  public static Mirror of(RouteDestination destination, double percent) {
    return new Mirror(destination, percent);
  }
}
