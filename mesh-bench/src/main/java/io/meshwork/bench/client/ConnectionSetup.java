package io.meshwork.bench.client;

import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import io.meshwork.security.CertificateAuthority;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The cost of opening a connection, kept apart from the steady-state figures: calls made one at a
 * time by a mesh whose connections expire as soon as they are idle, so each call opens a new one
 * (TCP connect, with mTLS the handshake, then the request). The first calls warm the JIT up and are
 * not counted.
 */
final class ConnectionSetup {

  private ConnectionSetup() {}

  /** {@code calls} measured calls after {@code warmup} unmeasured ones, each on a new connection. */
  static Map<String, Object> measure(List<Integer> ports, int threads, CertificateAuthority authority, int warmup,
      int calls) throws Exception {
    Histogram latency = new Histogram(3);
    long errors = 0;
    long start = 0;
    try (MeshworkClient client = new MeshworkClient(ports, threads, "roundRobin", authority, false,
        io.meshwork.policy.Protocol.HTTP_1_1, true)) {
      MeshRequest request = MeshRequest.get("/");
      for (int i = 0; i < warmup + calls; i++) {
        if (i == warmup) {
          start = System.nanoTime();
        }
        long begin = System.nanoTime();
        int status;
        try {
          MeshResponse response = client.call(MeshworkClient.SERVICE, request).get(10, TimeUnit.SECONDS);
          status = response.status();
        } catch (Exception e) {
          status = -1;
        }
        if (i >= warmup) {
          latency.recordValue(Math.max(1, System.nanoTime() - begin));
          errors += status == 200 ? 0 : 1;
        }
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("calls", calls);
    result.put("errors", errors);
    result.put("perSecond", calls / seconds);
    result.put("p50", latency.getValueAtPercentile(50) / 1000.0);
    result.put("p90", latency.getValueAtPercentile(90) / 1000.0);
    result.put("p99", latency.getValueAtPercentile(99) / 1000.0);
    result.put("mean", latency.getMean() / 1000.0);
    return result;
  }
}
