package io.meshwork.bench.client;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import io.meshwork.MeshRequest;
import io.meshwork.security.CertificateAuthority;
import io.netty.buffer.ByteBuf;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The client heap after a full GC once a client knows {@code services x instances} instances and
 * has called each service enough times to hold a connection to each of its instances, next to the
 * heap of the same JVM before the client was made.
 */
final class HeapProbe {

  private static final int CALLS_PER_INSTANCE = 2;

  private HeapProbe() {}

  /**
   * Measures {@code kind}; {@code ports} holds services x instances distinct backend ports (service s,
   * instance i at index s x instances + i), or for the sidecar the single proxy port.
   */
  static Map<String, Object> measure(String kind, int services, int instances, List<Integer> ports, int threads,
      CertificateAuthority authority) throws Exception {
    long baseline = heapAfterGc();
    long calls = 0;
    long ok = 0;
    Object held;
    switch (kind) {
      case "limit" -> {
        List<InetSocketAddress> targets = new ArrayList<>();
        for (int port : ports) {
          targets.add(new InetSocketAddress("127.0.0.1", port));
        }
        PlainHttpClient client = new PlainHttpClient(targets, threads);
        ByteBuf request = PlainHttpClient.encode("/");
        for (int round = 0; round < CALLS_PER_INSTANCE; round++) {
          for (int t = 0; t < targets.size(); t++) {
            calls++;
            ok += client.send(t, request).join() == 200 ? 1 : 0;
          }
        }
        held = client;
      }
      case "haproxy" -> {
        PlainHttpClient client = new PlainHttpClient(List.of(new InetSocketAddress("127.0.0.1", ports.get(0))),
            threads);
        for (int s = 0; s < services; s++) {
          ByteBuf request = PlainHttpClient.encode("/svc" + s + "/");
          for (int c = 0; c < instances * CALLS_PER_INSTANCE; c++) {
            calls++;
            ok += client.send(0, request).join() == 200 ? 1 : 0;
          }
        }
        held = client;
      }
      case "meshwork", "meshwork-mtls" -> {
        MeshworkClient client = new MeshworkClient(List.of(), threads, "roundRobin", authority, false);
        for (int s = 0; s < services; s++) {
          client.register("svc" + s, ports.subList(s * instances, (s + 1) * instances));
        }
        MeshRequest request = MeshRequest.get("/");
        for (int s = 0; s < services; s++) {
          for (int c = 0; c < instances * CALLS_PER_INSTANCE; c++) {
            calls++;
            ok += client.call("svc" + s, request).join().status() == 200 ? 1 : 0;
          }
        }
        held = client;
      }
      case "armeria" -> {
        ClientFactory factory = ClientFactory.builder().workerGroup(threads).build();
        List<WebClient> clients = new ArrayList<>();
        for (int s = 0; s < services; s++) {
          clients.add(ArmeriaClient.webClient(factory, ports.subList(s * instances, (s + 1) * instances)));
        }
        for (WebClient client : clients) {
          for (int c = 0; c < instances * CALLS_PER_INSTANCE; c++) {
            calls++;
            ok += client.get("/").aggregate().join().status().code() == 200 ? 1 : 0;
          }
        }
        held = List.of(factory, clients);
      }
      default -> throw new IllegalArgumentException("kind: " + kind);
    }
    long after = heapAfterGc();
    String histogram = System.getProperty("meshwork.bench.histogram");
    if (histogram != null) { // what the heap holds, by class, for the report's analysis of this figure
      Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
          Long.toString(ProcessHandle.current().pid()), "GC.class_histogram")
          .redirectOutput(Path.of(histogram).toFile()).redirectErrorStream(true).start();
      if (jcmd.waitFor() != 0) {
        throw new IllegalStateException("jcmd GC.class_histogram failed; see " + histogram);
      }
    }
    Reference.reachabilityFence(held);
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("services", services);
    result.put("instances", instances);
    result.put("calls", calls);
    result.put("ok", ok);
    result.put("heapBaselineBytes", baseline);
    result.put("heapAfterBytes", after);
    result.put("heapDeltaBytes", after - baseline);
    if (held instanceof AutoCloseable closeable) {
      closeable.close();
    } else if (held instanceof List<?> parts && parts.get(0) instanceof ClientFactory factory) {
      factory.closeAsync().join();
    }
    return result;
  }

  /** Heap in use after full collections, once it stops shrinking. */
  static long heapAfterGc() {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      long now = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
      if (now >= used) {
        return now;
      }
      used = now;
    }
    return used;
  }
}
