package io.meshwork.bench.micro;

import io.meshwork.Mesh;
import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import io.meshwork.registry.InMemoryServiceRegistry;
import io.meshwork.telemetry.TelemetryConfig;
import io.meshwork.transport.InMemoryTransport;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One whole call through two meshes on the in-memory transport (the client's chain, the server's
 * inbound pipeline and handler), with telemetry as the docs recommend ({@code on}: metrics, tracing,
 * access log for errors) and with none ({@code off}): the CPU and allocation telemetry adds to a
 * call, without the network's noise.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ChainTelemetryBenchmark {

  private static final MeshRequest REQUEST = MeshRequest.get("/users/42");

  @Param({"on", "off"})
  public String telemetry;

  private InMemoryTransport transport;
  private Mesh server;
  private Mesh client;

  @Setup(Level.Trial)
  public void start() {
    TelemetryConfig config = telemetry.equals("on") ? TelemetryConfig.defaults() : TelemetryConfig.off();
    InMemoryServiceRegistry registry = new InMemoryServiceRegistry();
    transport = new InMemoryTransport();
    server = Mesh.builder().service("user-service").registry(registry).transport(transport).telemetry(config)
        .build();
    MeshResponse answer = MeshResponse.ok("user-42");
    server.serve(0, request -> CompletableFuture.completedFuture(answer));
    client = Mesh.builder().service("order-service").registry(registry).transport(transport).telemetry(config)
        .build();
  }

  @TearDown(Level.Trial)
  public void stop() {
    client.close();
    server.close();
    transport.close();
  }

  @Benchmark
  public int call() {
    return client.call("user-service", REQUEST).join().status();
  }
}
