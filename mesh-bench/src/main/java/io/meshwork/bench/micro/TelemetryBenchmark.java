package io.meshwork.bench.micro;

import io.meshwork.internal.telemetry.ClientInstruments;
import io.meshwork.internal.telemetry.MeshTelemetry;
import io.meshwork.internal.telemetry.Methods;
import io.meshwork.internal.telemetry.ResponseFlag;
import io.meshwork.telemetry.TelemetryConfig;
import io.meshwork.tracing.MeshTracer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Recording one call's metrics as the telemetry stages do when it ends: its route's duration
 * histogram (whose count is also the calls counter), then its attempt's histogram (by port, method
 * and status) and outcome counter. Target: at most 100 ns and 0 B/op; {@code recordOneCallTwoThreads} shows contention.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TelemetryBenchmark {

  private final MeshTelemetry telemetry = new MeshTelemetry(TelemetryConfig.defaults(), MeshTracer.w3c());
  private final ClientInstruments client = telemetry.client("user-service");
  private final String method = "GET";

  @Benchmark
  public void recordOneCall(Latency latency) {
    record(latency.next());
  }

  @Benchmark
  @Threads(2)
  public void recordOneCallTwoThreads(Latency latency) {
    record(latency.next());
  }

  private void record(long latency) {
    int methodIndex = Methods.index(method);
    ClientInstruments.CallSeries call = client.call("default", methodIndex, ResponseFlag.NONE, 200);
    call.duration().record(latency);
    client.attempt(8080, methodIndex, 200, 0).record(latency);
    client.attemptOutcome(true).increment();
  }

  /** Each thread's own latencies, spread over the buckets; shared, they would contend on one line. */
  @State(Scope.Thread)
  public static class Latency {
    private long nanos = 1_234_567;

    long next() {
      nanos += 7919;
      if (nanos > 3_000_000_000L) {
        nanos = 1_234_567;
      }
      return nanos;
    }
  }
}
