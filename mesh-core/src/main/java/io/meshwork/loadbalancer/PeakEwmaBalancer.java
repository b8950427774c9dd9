package io.meshwork.loadbalancer;

import io.meshwork.time.Ticker;
import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Peak-EWMA (Finagle, Linkerd): cost = moving average of latency x (in-flight + 1). A sample above the
 * average replaces it at once (the peak); lower samples pull it down with weight
 * {@code 1 - exp(-elapsed / decay)}. Read-time decay brings the cost of an idle instance back down,
 * so a once-slow instance is tried again. An instance with calls in flight and no sample yet costs a
 * large penalty, so a new instance gets one probe, not a flood.
 *
 * <p>Time is the mesh's ticker (bound when the mesh makes the balancer): the same clock the mesh
 * stamps each sample's end with, so decay follows a {@code FakeTicker} exactly.
 */
final class PeakEwmaBalancer extends TwoChoiceBalancer {

  static final Duration DEFAULT_DECAY = Duration.ofSeconds(10);
  /** The cost of an instance with calls in flight and no latency sample yet (about 1 hour). */
  static final double PENALTY_NANOS = 3.6e12;

  private final Duration decay;
  private final double decayNanos;
  private final Ticker ticker;
  private final boolean bound;

  /** Null ticker and random: the system's until {@link #bind} gives the mesh's. */
  PeakEwmaBalancer(Duration decay, Ticker ticker, RandomGenerator random) {
    super(random != null ? random : Randoms.threadLocal());
    if (decay == null || decay.isNegative() || decay.isZero()) {
      throw new IllegalArgumentException("decay: " + decay + " (expected: > 0)");
    }
    this.decay = decay;
    this.decayNanos = decay.toNanos();
    this.ticker = ticker != null ? ticker : Ticker.system();
    this.bound = ticker != null;
  }

  @Override
  public LoadBalancer bind(BalancerEnvironment environment) {
    return bound ? this : new PeakEwmaBalancer(decay, environment.ticker(), environment.random());
  }

  @Override
  long now() {
    return ticker.nanoTime();
  }

  @Override
  double load(LoadStats stats, long now) {
    int inFlight = stats.inFlight.get();
    double ewma = stats.ewmaNanos;
    if (Double.isNaN(ewma)) {
      return inFlight == 0 ? 0 : PENALTY_NANOS + inFlight;
    }
    return ewma * decay(now - stats.stampNanos) * (inFlight + 1);
  }

  @Override
  void learn(LoadStats stats, boolean success, long latencyNanos, long endNanos) {
    if (latencyNanos < 0) {
      return;
    }
    long end = endNanos == Long.MIN_VALUE ? ticker.nanoTime() : endNanos;
    double ewma = stats.ewmaNanos;
    if (Double.isNaN(ewma) || latencyNanos > ewma) {
      stats.ewmaNanos = latencyNanos;
    } else {
      double weight = decay(end - stats.stampNanos);
      stats.ewmaNanos = ewma * weight + latencyNanos * (1 - weight);
    }
    // Samples may finish out of order: the stamp only moves forward, so no later read decays from
    // a time that has not come yet.
    if (end - stats.stampNanos > 0 || Double.isNaN(ewma)) {
      stats.stampNanos = end;
    }
  }

  /**
   * {@code exp(-elapsed / decay)}. Samples usually come microseconds apart against a decay of
   * seconds, where {@code 1 - x} is exact to better than one part in a million and far cheaper.
   */
  private double decay(long elapsedNanos) {
    double x = Math.max(0, elapsedNanos) / decayNanos;
    return x < 1e-3 ? 1 - x : Math.exp(-x);
  }
}
