package io.meshwork.bench.client;

import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/** Outcomes and latencies of the calls of one measured window; written from any thread. */
final class Tally {

  private final LongAdder ok = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private final Recorder latencies = new Recorder(3);

  /** One call of the window ended after {@code latencyNanos} with HTTP {@code status}, or -1 when it failed. */
  void record(long latencyNanos, int status) {
    if (status == 200) {
      ok.increment();
    } else {
      errors.increment();
    }
    latencies.recordValue(Math.max(1, latencyNanos));
  }

  /** The window's result. */
  PhaseResult result(long incomplete, long windowNanos, long cpuNanos, long sidecarCpuNanos, long attempts,
      java.util.Map<Integer, Long> attemptsByPort) {
    Histogram histogram = latencies.getIntervalHistogram();
    long good = ok.sum();
    long bad = errors.sum();
    return new PhaseResult(good + bad, good, bad, incomplete, windowNanos / 1e9, cpuNanos, sidecarCpuNanos,
        attempts, attemptsByPort, histogram, 0, true, java.util.Map.of());
  }
}
