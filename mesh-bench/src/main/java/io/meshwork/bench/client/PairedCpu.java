package io.meshwork.bench.client;

import com.sun.management.OperatingSystemMXBean;
import io.meshwork.Mesh;
import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import io.meshwork.bench.micro.RouteBenchmark;
import io.meshwork.netty.NettyTransport;
import io.meshwork.policy.ServicePolicy;
import io.meshwork.registry.InMemoryServiceRegistry;
import io.meshwork.telemetry.TelemetryConfig;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;

/**
 * The CPU one call costs over the Netty transport (client and server meshes in this JVM, each with
 * its own transport of one event loop, 16 calls in flight) in a base configuration and with one
 * feature added, in alternating rounds: a busy machine weighs on both sides of each pair alike, so
 * each pair's ratio holds even when the machine's speed drifts between pairs. On a CPU-bound machine
 * throughput goes as the inverse of CPU per call, so {@code base / with} is the throughput ratio.
 *
 * <ul>
 *   <li>{@code telemetry}: all telemetry off vs the recommended telemetry (metrics and tracing on,
 *       access log for errors only), or the one {@code -Dmeshwork.bench.telemetry} names;
 *   <li>{@code routes}: no route rules vs the ten of {@link RouteBenchmark#rules()} (telemetry
 *       recommended on both sides), a request only the last rule takes.
 * </ul>
 *
 * <pre>java -cp mesh-bench/target/benchmarks.jar io.meshwork.bench.client.PairedCpu telemetry|routes [rounds [calls]]</pre>
 */
public final class PairedCpu {

  /** The comparisons this measures. */
  public static final List<String> COMPARISONS = List.of("telemetry", "routes");

  private static final int IN_FLIGHT = 16;
  private static final MeshRequest REQUEST = MeshRequest.builder().path("/catalog/items?page=2")
      .header("x-user-id", "42").header("accept", "application/json").build();

  private PairedCpu() {}

  public static void main(String[] args) throws Exception {
    String comparison = args.length > 0 ? args[0] : "telemetry";
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    // Linux counts process CPU in ticks of 10 ms: 100,000 calls of about 15 us keep that under 1 %.
    int calls = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
    Map<String, Object> result = measure(comparison, rounds, calls);
    System.out.println(result);
  }

  /**
   * {@code rounds} pairs of {@code calls} calls each, base first then with the feature, after five
   * unmeasured pairs (the JIT's warm-up): {@code baseMicros}, {@code withMicros} (CPU per
   * call) and {@code ratios} (base over with, per pair).
   */
  public static Map<String, Object> measure(String comparison, int rounds, int calls) throws Exception {
    if (!COMPARISONS.contains(comparison)) {
      throw new IllegalArgumentException("comparison: " + comparison + " (expected one of " + COMPARISONS + ")");
    }
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    List<AutoCloseable> closing = new ArrayList<>();
    try {
      Mesh base = client(comparison, false, closing);
      Mesh with = client(comparison, true, closing);
      for (int i = 0; i < 5; i++) { // the JIT's warm-up, alternating as the rounds do, so profiles settle alike
        run(base, calls);
        run(with, calls);
      }
      List<Double> baseMicros = new ArrayList<>();
      List<Double> withMicros = new ArrayList<>();
      List<Double> ratios = new ArrayList<>();
      for (int round = 0; round < rounds; round++) {
        double b = cpuPerCall(os, base, calls);
        double w = cpuPerCall(os, with, calls);
        baseMicros.add(b);
        withMicros.add(w);
        ratios.add(b / w);
      }
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("comparison", comparison);
      result.put("rounds", rounds);
      result.put("callsPerRound", calls);
      result.put("baseMicros", baseMicros);
      result.put("withMicros", withMicros);
      result.put("ratios", ratios);
      return result;
    } finally {
      for (int i = closing.size() - 1; i >= 0; i--) {
        closing.get(i).close();
      }
    }
  }

  /** A client mesh and the server mesh it calls, on a transport of their own. */
  private static Mesh client(String comparison, boolean with, List<AutoCloseable> closing) {
    boolean telemetryOn = !comparison.equals("telemetry") || with;
    // The telemetry "on" is what -Dmeshwork.bench.telemetry says (the recommended one by default), so
    // metrics or tracing alone can be set against none.
    TelemetryConfig telemetry = telemetryOn ? BenchTelemetry.config() : TelemetryConfig.off();
    ServicePolicy policy = comparison.equals("routes") && with
        ? ServicePolicy.builder().routes(RouteBenchmark.rules()).build() : ServicePolicy.defaults();
    InMemoryServiceRegistry registry = new InMemoryServiceRegistry();
    NettyTransport transport = NettyTransport.builder().eventLoopThreads(1).build();
    closing.add(transport);
    Mesh server = Mesh.builder().service("svc").registry(registry).transport(transport).telemetry(telemetry)
        .build();
    closing.add(server);
    MeshResponse answer = MeshResponse.ok("item-42");
    server.serve(0, request -> CompletableFuture.completedFuture(answer));
    Mesh client = Mesh.builder().service("caller").registry(registry).transport(transport).telemetry(telemetry)
        .defaultPolicy(policy).build();
    closing.add(client);
    return client;
  }

  private static double cpuPerCall(OperatingSystemMXBean os, Mesh client, int calls) throws InterruptedException {
    long before = os.getProcessCpuTime();
    run(client, calls);
    return (os.getProcessCpuTime() - before) / 1000.0 / calls;
  }

  /** {@code calls} calls, {@link #IN_FLIGHT} at a time; every call must answer 200. */
  private static void run(Mesh client, int calls) throws InterruptedException {
    Semaphore slots = new Semaphore(IN_FLIGHT);
    CountDownLatch done = new CountDownLatch(calls);
    List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    for (int i = 0; i < calls; i++) {
      slots.acquire();
      client.call("svc", REQUEST).whenComplete((response, failure) -> {
        if (failure != null || response.status() != 200) {
          failures.add(failure != null ? failure : new IllegalStateException("status " + response.status()));
        }
        slots.release();
        done.countDown();
      });
    }
    done.await();
    if (!failures.isEmpty()) {
      throw new IllegalStateException(failures.size() + " of " + calls + " calls failed; first: " + failures.get(0));
    }
  }
}
