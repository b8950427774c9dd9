package io.meshwork.internal;

import io.meshwork.MeshListener;
import io.meshwork.resilience.OutlierDetectionConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Outlier detection of one destination, as Envoy's: its config, its state and its maths in one place.
 * Outcomes are counted per instance on the hot path (atomics, no lock); every {@code interval} of the
 * mesh's ticker the counts close and the success-rate and failure-percentage triggers run over them;
 * a run of consecutive failures ejects at once. Every ejection obeys the max-ejection share (at
 * least one instance may always be ejected), lasts base x ejections (capped), and is forgiven one
 * step for each base time an instance behaves after it.
 */
final class OutlierDetector {

  /** How close to the success-rate threshold a rate counts as equal to it. */
  private static final double RATE_TIE = 1e-9;

  private final String service;
  private final OutlierDetectionConfig config;
  private final MeshListener listener;
  private final Runnable changed;
  private final long intervalNanos;
  private volatile long nextEvaluationNanos;
  private Endpoint[] endpoints = new Endpoint[0];

  /** {@code changed} is told whenever an instance is ejected or restored. */
  OutlierDetector(String service, OutlierDetectionConfig config, MeshListener listener, Runnable changed,
      long nowNanos) {
    this.service = service;
    this.config = config;
    this.listener = listener;
    this.changed = changed;
    this.intervalNanos = config.interval().toNanos();
    this.nextEvaluationNanos = nowNanos + intervalNanos;
  }

  OutlierDetectionConfig config() {
    return config;
  }

  /** The destination's instances are now these. */
  synchronized void endpoints(Collection<Endpoint> current) {
    endpoints = current.toArray(new Endpoint[0]);
  }

  /** An attempt on {@code endpoint} succeeded after {@code latencyNanos}, at {@code now}. */
  void onSuccess(Endpoint endpoint, long latencyNanos, long now) {
    endpoint.outcomes.addAndGet(Endpoint.SUCCESS);
    endpoint.latencyNanos.addAndGet(latencyNanos);
    if (endpoint.consecutiveFailures.get() != 0) {
      endpoint.consecutiveFailures.set(0);
    }
    evaluateIfDue(now);
  }

  /** An attempt on {@code endpoint} failed after {@code latencyNanos} (negative: unknown), at {@code now}. */
  void onFailure(Endpoint endpoint, long latencyNanos, long now) {
    endpoint.outcomes.incrementAndGet();
    if (latencyNanos > 0) {
      endpoint.latencyNanos.addAndGet(latencyNanos);
    }
    int inARow = endpoint.consecutiveFailures.incrementAndGet();
    if (config.enabled() && inARow >= config.consecutiveFailures()) {
      eject(endpoint, now, inARow + " failures in a row");
    }
    evaluateIfDue(now);
  }

  /**
   * When {@code endpoint}'s ejection ends, or {@link Long#MIN_VALUE} when it is not ejected at
   * {@code now}; an ejection whose time has passed ends here, and is told to the listener.
   */
  synchronized long ejectedUntil(Endpoint endpoint, long now) {
    if (!endpoint.ejected) {
      return Long.MIN_VALUE;
    }
    if (now - endpoint.ejectedUntilNanos >= 0) {
      endpoint.ejected = false;
      endpoint.restoredAtNanos = now;
      Listeners.restored(listener, service, endpoint.instance);
      return Long.MIN_VALUE;
    }
    return endpoint.ejectedUntilNanos;
  }

  /** Closes the interval if it is over: counts move to the last interval and the triggers run. */
  void evaluateIfDue(long now) {
    if (now - nextEvaluationNanos >= 0) {
      evaluate(now);
    }
  }

  private synchronized void evaluate(long now) {
    if (now - nextEvaluationNanos < 0) {
      return;
    }
    nextEvaluationNanos = now + intervalNanos;
    for (Endpoint endpoint : endpoints) {
      long outcomes = endpoint.outcomes.getAndSet(0);
      endpoint.lastSuccesses = Endpoint.successes(outcomes);
      endpoint.lastFailures = Endpoint.failures(outcomes);
      endpoint.lastLatencyNanos = endpoint.latencyNanos.getAndSet(0);
    }
    if (!config.enabled()) {
      return;
    }
    if (config.successRateEjection()) {
      successRate(now);
    }
    if (config.failurePercentageEjection()) {
      failurePercentage(now);
    }
  }

  /** Ejects instances whose success rate is below mean - factor x stdev of their peers. */
  private void successRate(long now) {
    List<Endpoint> counted = counted(config.successRateRequestVolume(), now);
    if (counted.size() < config.successRateMinimumHosts()) {
      return;
    }
    double[] rates = new double[counted.size()];
    double sum = 0;
    for (int i = 0; i < rates.length; i++) {
      rates[i] = successRate(counted.get(i));
      sum += rates[i];
    }
    double mean = sum / rates.length;
    double squares = 0;
    for (double rate : rates) {
      squares += (rate - mean) * (rate - mean);
    }
    double threshold = mean - config.successRateStdevFactor() * Math.sqrt(squares / rates.length);
    for (int i = 0; i < rates.length; i++) {
      // A rate equal to the threshold up to rounding is not below it (two hosts and a factor of 1 make
      // the threshold the lower rate itself, which rounding would otherwise put on either side).
      if (rates[i] < threshold - RATE_TIE) {
        eject(counted.get(i), now, String.format("success rate %.1f%% below the threshold %.1f%% (mean %.1f%%)",
            rates[i] * 100, threshold * 100, mean * 100));
      }
    }
  }

  /** Ejects instances whose failures reach the threshold percentage. */
  private void failurePercentage(long now) {
    List<Endpoint> counted = counted(config.failurePercentageRequestVolume(), now);
    if (counted.size() < config.failurePercentageMinimumHosts()) {
      return;
    }
    for (Endpoint endpoint : counted) {
      double failed = 100 * (1 - successRate(endpoint));
      if (failed >= config.failurePercentageThreshold()) {
        eject(endpoint, now, String.format("%.1f%% of calls failed (threshold %d%%)", failed,
            config.failurePercentageThreshold()));
      }
    }
  }

  /** The instances not ejected now whose last interval had at least {@code volume} calls. */
  private List<Endpoint> counted(int volume, long now) {
    List<Endpoint> counted = new ArrayList<>();
    for (Endpoint endpoint : endpoints) {
      if (endpoint.lastSuccesses + endpoint.lastFailures >= volume
          && !(endpoint.ejected && endpoint.ejectedUntilNanos - now > 0)) {
        counted.add(endpoint);
      }
    }
    return counted;
  }

  private static double successRate(Endpoint endpoint) {
    return (double) endpoint.lastSuccesses / (endpoint.lastSuccesses + endpoint.lastFailures);
  }

  private synchronized void eject(Endpoint endpoint, long now, String why) {
    if (endpoint.ejected && endpoint.ejectedUntilNanos - now > 0) {
      return;
    }
    int ejectedNow = 0;
    for (Endpoint other : endpoints) {
      if (other.ejected && other.ejectedUntilNanos - now > 0) {
        ejectedNow++;
      }
    }
    int percent = config.maxEjectionPercent();
    int allowed = percent == 0 ? 0 : Math.max(1, endpoints.length * percent / 100);
    if (ejectedNow >= allowed) {
      return;
    }
    long base = config.baseEjectionTime().toNanos();
    if (endpoint.ejections > 0) {
      // One past ejection is forgiven for each base ejection time spent behaving since.
      long forgiven = (now - endpoint.restoredAtNanos) / base;
      endpoint.ejections = (int) Math.max(0, endpoint.ejections - forgiven);
    }
    endpoint.ejections++;
    long duration = Math.min(base * endpoint.ejections, config.maxEjectionTime().toNanos());
    endpoint.ejected = true;
    endpoint.ejectedUntilNanos = now + duration;
    endpoint.consecutiveFailures.set(0);
    changed.run();
    Listeners.ejected(listener, service, endpoint.instance, Duration.ofNanos(duration), why);
  }

  /** The recent success rate and mean latency of {@code endpoint}: the last interval and this one. */
  synchronized RecentStats recent(Endpoint endpoint) {
    long outcomes = endpoint.outcomes.get();
    long successes = endpoint.lastSuccesses + Endpoint.successes(outcomes);
    long calls = successes + endpoint.lastFailures + Endpoint.failures(outcomes);
    long latency = endpoint.lastLatencyNanos + endpoint.latencyNanos.get();
    return new RecentStats(calls, calls == 0 ? Double.NaN : (double) successes / calls,
        calls == 0 ? Duration.ZERO : Duration.ofNanos(latency / calls));
  }

  /** Calls, success rate (NaN without calls) and mean latency of the recent intervals. */
  record RecentStats(long calls, double successRate, Duration meanLatency) {}
}
