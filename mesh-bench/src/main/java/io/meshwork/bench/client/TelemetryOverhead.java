package io.meshwork.bench.client;

import com.sun.management.OperatingSystemMXBean;
import io.meshwork.Mesh;
import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import io.meshwork.netty.NettyTransport;
import io.meshwork.registry.InMemoryServiceRegistry;
import io.meshwork.telemetry.TelemetryConfig;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;

/**
 * The CPU one call costs over the Netty transport, client and server meshes in this JVM, with
 * telemetry as the docs recommend ({@code on}) and with none ({@code off}); the two run in
 * alternating rounds, so a busy machine weighs on both alike, and the medians are compared. On a
 * CPU-bound machine throughput goes as the inverse of CPU per call, so {@code off / on} is the
 * throughput ratio.
 *
 * <pre>java -cp mesh-bench/target/benchmarks.jar io.meshwork.bench.client.TelemetryOverhead [rounds]</pre>
 */
public final class TelemetryOverhead {

  private static final int CALLS_PER_ROUND = 20_000;
  private static final int IN_FLIGHT = 16;

  private TelemetryOverhead() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 16;
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    Map<String, Mesh> clients = new LinkedHashMap<>();
    List<AutoCloseable> closing = new ArrayList<>();
    for (String mode : List.of("off", "on")) {
      TelemetryConfig config = mode.equals("on") ? TelemetryConfig.defaults() : TelemetryConfig.off();
      InMemoryServiceRegistry registry = new InMemoryServiceRegistry();
      NettyTransport transport = NettyTransport.builder().eventLoopThreads(1).build();
      Mesh server = Mesh.builder().service("user-service").registry(registry).transport(transport)
          .telemetry(config).build();
      MeshResponse answer = MeshResponse.ok("user-42");
      server.serve(0, request -> CompletableFuture.completedFuture(answer));
      Mesh client = Mesh.builder().service("order-service").registry(registry).transport(transport)
          .telemetry(config).build();
      clients.put(mode, client);
      closing.addAll(List.of(client, server, transport));
    }
    MeshRequest request = MeshRequest.get("/users/42");
    for (Mesh client : clients.values()) {
      run(client, request, 5 * CALLS_PER_ROUND); // the JIT's warm-up
    }
    Map<String, List<Double>> micros = new LinkedHashMap<>();
    for (int round = 0; round < rounds; round++) {
      for (Map.Entry<String, Mesh> mode : clients.entrySet()) {
        long before = os.getProcessCpuTime();
        run(mode.getValue(), request, CALLS_PER_ROUND);
        micros.computeIfAbsent(mode.getKey(), k -> new ArrayList<>())
            .add((os.getProcessCpuTime() - before) / 1000.0 / CALLS_PER_ROUND);
      }
    }
    double off = median(micros.get("off"));
    double on = median(micros.get("on"));
    System.out.printf("CPU per call (client and server), median of %d rounds: off %.1f us, on %.1f us;"
        + " throughput on/off %.2f%n", rounds, off, on, off / on);
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
  }

  /** {@code calls} calls, {@link #IN_FLIGHT} at a time. */
  private static void run(Mesh client, MeshRequest request, int calls) throws InterruptedException {
    Semaphore slots = new Semaphore(IN_FLIGHT);
    CountDownLatch done = new CountDownLatch(calls);
    for (int i = 0; i < calls; i++) {
      slots.acquire();
      client.call("user-service", request).whenComplete((response, failure) -> {
        slots.release();
        done.countDown();
      });
    }
    done.await();
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }
}
