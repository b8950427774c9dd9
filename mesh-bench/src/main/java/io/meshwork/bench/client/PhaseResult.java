package io.meshwork.bench.client;

import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What one measured phase of one client saw: calls completed in the window, their outcome, the
 * CPU spent, and the latency distribution in microseconds.
 *
 * @param requests calls completed in the measured window
 * @param ok calls answered 200
 * @param errors calls that failed or were answered otherwise
 * @param incomplete calls issued during the phase that never completed, after the drain
 * @param seconds the measured window
 * @param cpuNanos this JVM's CPU time over the window
 * @param sidecarCpuNanos the sidecar's CPU time over the window; 0 without one
 * @param attempts wire attempts made in the window, -1 when the client cannot tell
 * @param attemptsByPort wire attempts in the window per backend port, where the client can tell
 * @param latency latencies in nanoseconds of the calls of the window
 * @param warmupSeconds how long the warm-up before the window lasted
 * @param jitSettled whether the JIT had gone quiet when the window began (false: the warm-up hit its cap)
 * @param loopCpuNanos CPU time over the window of each of the client's event-loop threads, by name
 */
public record PhaseResult(long requests, long ok, long errors, long incomplete, double seconds,
    long cpuNanos, long sidecarCpuNanos, long attempts, Map<Integer, Long> attemptsByPort, Histogram latency,
    double warmupSeconds, boolean jitSettled, Map<String, Long> loopCpuNanos) {

  /** This result with the warm-up it had, and whether the JIT was quiet at its end. */
  PhaseResult withWarmup(double seconds, boolean settled) {
    return new PhaseResult(requests, ok, errors, incomplete, this.seconds, cpuNanos, sidecarCpuNanos, attempts,
        attemptsByPort, latency, seconds, settled, loopCpuNanos);
  }

  /** This result with the CPU time of each event-loop thread over the window. */
  PhaseResult withLoopCpu(Map<String, Long> nanos) {
    return new PhaseResult(requests, ok, errors, incomplete, seconds, cpuNanos, sidecarCpuNanos, attempts,
        attemptsByPort, latency, warmupSeconds, jitSettled, nanos);
  }

  /**
   * The least busy event loop's CPU time over the busiest's: near 1 when the work is spread evenly,
   * near 0 when one loop does it all; NaN when no loop thread was seen.
   */
  double loopBalance() {
    if (loopCpuNanos.isEmpty()) {
      return Double.NaN;
    }
    long min = Long.MAX_VALUE;
    long max = 0;
    for (long nanos : loopCpuNanos.values()) {
      min = Math.min(min, nanos);
      max = Math.max(max, nanos);
    }
    return max == 0 ? Double.NaN : (double) min / max;
  }

  /** As JSON-ready values, latencies in microseconds. */
  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("requests", requests);
    map.put("ok", ok);
    map.put("errors", errors);
    map.put("incomplete", incomplete);
    map.put("seconds", seconds);
    map.put("warmupSeconds", warmupSeconds);
    map.put("jitSettled", jitSettled);
    map.put("throughput", requests / seconds);
    map.put("cpuNanos", cpuNanos);
    map.put("sidecarCpuNanos", sidecarCpuNanos);
    map.put("cpuMicrosPerRequest", requests == 0 ? 0.0 : (cpuNanos + sidecarCpuNanos) / 1000.0 / requests);
    map.put("attempts", attempts);
    map.put("attemptsByPort", attemptsByPort);
    map.put("p50", micros(latency.getValueAtPercentile(50)));
    map.put("p90", micros(latency.getValueAtPercentile(90)));
    map.put("p99", micros(latency.getValueAtPercentile(99)));
    map.put("p999", micros(latency.getValueAtPercentile(99.9)));
    map.put("max", micros(latency.getMaxValue()));
    map.put("mean", latency.getMean() / 1000.0);
    if (!loopCpuNanos.isEmpty()) {
      map.put("loopCpuNanos", loopCpuNanos);
      map.put("loopBalance", loopBalance());
    }
    return map;
  }

  private static double micros(long nanos) {
    return nanos / 1000.0;
  }
}
