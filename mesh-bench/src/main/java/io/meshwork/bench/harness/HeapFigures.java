package io.meshwork.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Client heap after GC with services x instances known and warmed by calls: each client in its own
 * JVM against that many distinct backend ports; the sidecar path also reports the proxy's memory.
 */
final class HeapFigures {

  private HeapFigures() {}

  static Map<String, Object> run(Session session) {
    Plan plan = session.plan;
    int services = plan.heapServices();
    int instances = plan.heapInstances();
    List<Integer> ports = session.backend.extra(services * instances);
    Path portsFile = session.launcher.logDir.resolve("heap-ports.txt");
    try {
      Files.writeString(portsFile, Session.csv(ports));
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + portsFile, e);
    }
    List<String> heapArgs = List.of("--heap", services + "," + instances);
    Map<String, Object> figures = new LinkedHashMap<>();
    for (String kind : plan.heapKinds()) {
      if (kind.equals("meshwork-mtls") && !session.mtlsAvailable()) {
        session.checks.fail("heap meshwork-mtls: mTLS not available: " + session.backend.mtlsUnavailable);
        continue;
      }
      if (kind.equals("haproxy") && session.proxy == null) {
        session.checks.fail("heap haproxy: haproxy is not installed (Debian package haproxy)");
        continue;
      }
      Map<String, Object> result;
      if (kind.equals("haproxy")) {
        try (Haproxy routing = Haproxy.routing(session.launcher, "haproxy-heap", services, instances, ports)) {
          List<String> args = new java.util.ArrayList<>(List.of("--kind", "haproxy", "--threads", "2",
              "--ports", Integer.toString(routing.port)));
          args.addAll(heapArgs);
          result = session.launcher.startJavaForResult("client-heap-haproxy", args, Duration.ofSeconds(120));
          result.put("proxyRssBytes", routing.residentBytes());
        }
      } else {
        List<String> args = new java.util.ArrayList<>(List.of("--kind", kind, "--threads", "2",
            "--ports-file", portsFile.toString()));
        if (kind.equals("meshwork-mtls")) {
          args.addAll(List.of("--ca-dir", session.caDir.toString()));
        }
        args.addAll(heapArgs);
        result = session.launcher.startJavaForResult("client-heap-" + kind, args, Duration.ofSeconds(120));
      }
      session.checks.heap("heap " + kind, result);
      figures.put(kind, result);
      session.console.log("heap " + kind + ": " + describe(result));
    }
    return figures;
  }

  @SuppressWarnings("unchecked")
  private static String describe(Map<String, Object> result) {
    Map<String, Object> heap = (Map<String, Object>) result.get("heap");
    if (heap == null) {
      return Comparison.summary(result);
    }
    String line = String.format(java.util.Locale.ROOT, "%.1f MB after GC (%.1f MB over the empty JVM), %d calls",
        Checks.number(heap, "heapAfterBytes") / 1e6, Checks.number(heap, "heapDeltaBytes") / 1e6,
        Checks.number(heap, "calls"));
    if (result.containsKey("proxyRssBytes")) {
      line += String.format(java.util.Locale.ROOT, "; HAProxy RSS %.1f MB", Checks.number(result, "proxyRssBytes") / 1e6);
    }
    return line;
  }
}
