package io.meshwork.bench.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.meshwork.bench.report.ReportWriter;
import io.meshwork.security.CertificateAuthority;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one command that measures Meshwork against the physical limit and its peers: starts the
 * backend JVM and HAProxy, runs the comparison rounds, the scenarios, the heap figure and the JMH
 * micro-benchmarks, writes the JSON results and regenerates docs/benchmarks.md with its charts.
 *
 * <pre>
 * BenchMain [--quick] [--repo DIR] [--profile] [--only PARTS] [--report-only RESULTS.json]
 * </pre>
 *
 * {@code --quick} runs a short version that asserts only that every client completed its calls,
 * writes its JSON under target/ and leaves the docs alone; it exits 1 when a check failed.
 * {@code --profile} records JFR of the Meshwork client JVMs under target/bench-run/profiles.
 * {@code --only comparison,scenarios,heap,paired,micro} runs some parts only (results under target/, docs untouched).
 * {@code --report-only} regenerates the docs from an earlier run's JSON.
 * {@code --scale [options]} runs the fleet simulation on etcd instead ({@link io.meshwork.bench.scale.ScaleMain}).
 * {@code --soak [--minutes M]} runs the soak instead ({@link io.meshwork.bench.soak.SoakMain}).
 */
public final class BenchMain {

  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    if (java.util.Arrays.asList(args).contains("--scale")) {
      io.meshwork.bench.scale.ScaleMain.main(java.util.Arrays.stream(args).filter(a -> !a.equals("--scale"))
          .toArray(String[]::new));
      return;
    }
    if (java.util.Arrays.asList(args).contains("--soak")) {
      io.meshwork.bench.soak.SoakMain.main(java.util.Arrays.stream(args).filter(a -> !a.equals("--soak"))
          .toArray(String[]::new));
      return;
    }
    boolean quick = false;
    boolean profile = false;
    Path repo = Path.of("").toAbsolutePath();
    Path reportOnly = null;
    java.util.Set<String> only = java.util.Set.of();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> quick = true;
        case "--profile" -> profile = true;
        case "--repo" -> repo = Path.of(args[++i]).toAbsolutePath();
        case "--report-only" -> reportOnly = Path.of(args[++i]);
        case "--only" -> only = java.util.Set.of(args[++i].split(","));
        default -> throw new IllegalArgumentException("unknown argument: " + args[i]
            + " (expected: --quick, --profile, --repo DIR, --only PARTS, --report-only FILE)");
      }
    }
    if (reportOnly != null) {
      JsonNode results = new ObjectMapper().readTree(reportOnly.toFile());
      ReportWriter.write(results, repo.resolve("docs"), repo.resolve("mesh-bench/report/analysis.md"));
      System.out.println("regenerated " + repo.resolve("docs/benchmarks.md"));
      return;
    }
    int status = run(quick ? Plan.quickRun() : Plan.fullRun(), repo, profile, only);
    System.exit(status);
  }

  private static int run(Plan plan, Path repo, boolean profile, java.util.Set<String> only) throws IOException {
    boolean partial = !only.isEmpty();
    Console console = new Console();
    Path work = repo.resolve("mesh-bench/target/bench-run");
    Path logs = work.resolve("logs");
    deleteTree(work);
    Files.createDirectories(logs);
    Path profiles = profile ? Files.createDirectories(work.resolve("profiles")) : null;
    Launcher launcher = new Launcher(logs, line -> console.log("  " + line));
    Checks checks = new Checks();
    Map<String, Object> results = new LinkedHashMap<>();
    results.put("mode", plan.quick() ? "quick" : "full");
    results.put("startedAt", Instant.now().toString());
    results.put("loadBefore", MachineInfo.loadAverage());
    console.log((plan.quick() ? "quick" : "full") + " benchmark run; load average " + results.get("loadBefore")
        + " (1, 5, 15 min) on " + Runtime.getRuntime().availableProcessors() + " cores");

    Path caDir = work.resolve("ca");
    CertificateAuthority.create("cluster.local").save(caDir);
    try (Backend backend = Backend.start(launcher, 4, caDir);
         Haproxy proxy = Haproxy.binary() == null ? null : Haproxy.balancing(launcher, "haproxy", backend.plain)) {
      results.put("machine", MachineInfo.describe(backend.epoll));
      results.put("plan", plan);
      console.log("backend instances on ports " + backend.plain + (proxy == null
          ? "; haproxy is not installed: the sidecar path is skipped" : "; haproxy on port " + proxy.port));
      Map<String, Object> mtls = new LinkedHashMap<>();
      mtls.put("available", backend.mtlsUnavailable == null);
      mtls.put("reason", backend.mtlsUnavailable);
      results.put("mtls", mtls);
      if (backend.mtlsUnavailable != null) {
        console.log("mTLS not yet available: " + backend.mtlsUnavailable);
      }
      Session session = new Session(plan, launcher, console, backend, proxy, caDir, profiles, checks);
      if (!partial || only.contains("comparison")) {
        results.put("comparison", Comparison.run(session));
      }
      if (!partial || only.contains("scenarios")) {
        results.put("scenarios", Scenarios.run(session));
      }
      if (!partial || only.contains("heap")) {
        results.put("heap", HeapFigures.run(session));
      }
      if (!partial || only.contains("paired")) {
        results.put("paired", PairedFigures.run(session));
      }
    } catch (RuntimeException e) {
      checks.fail("run aborted: " + e.getMessage());
      console.log("FAILED: " + e);
      e.printStackTrace();
    }
    if (!plan.jmh().isEmpty() && (!partial || only.contains("micro"))) {
      console.log("JMH micro-benchmarks");
      results.put("micro", Micro.run(launcher, List.of("io.meshwork.bench.micro"), plan.jmh(),
          Duration.ofMinutes(plan.jmhMinutes()), line -> console.log("  " + line), checks));
    }
    results.put("loadAfter", MachineInfo.loadAverage());
    results.put("durationSeconds", Math.round(console.elapsedSeconds()));
    results.put("checks", Map.of("passed", checks.passedCount(), "failed", checks.failures()));

    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    Path out = plan.quick() || partial ? work.resolve(plan.quick() ? "quick.json" : "partial.json")
        : repo.resolve("mesh-bench/results/benchmarks.json");
    Files.createDirectories(out.getParent());
    json.writeValue(out.toFile(), results);
    console.log("results written to " + repo.relativize(out));
    if (!plan.quick() && !partial) {
      ReportWriter.write(json.readTree(out.toFile()), repo.resolve("docs"),
          repo.resolve("mesh-bench/report/analysis.md"));
      console.log("docs/benchmarks.md and its charts regenerated; load average now " + results.get("loadAfter"));
    }
    for (String failure : checks.failures()) {
      console.log("CHECK FAILED: " + failure);
    }
    // The plain closing line CI reads as a test summary.
    System.out.println("mesh-bench: " + checks.passedCount() + " passed, " + checks.failures().size() + " failed");
    return checks.failures().isEmpty() ? 0 : 1;
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    List<Path> paths = new ArrayList<>();
    try (var walk = Files.walk(root)) {
      walk.forEach(paths::add);
    }
    for (int i = paths.size() - 1; i >= 0; i--) {
      Files.delete(paths.get(i));
    }
  }
}
