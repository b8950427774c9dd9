package io.meshwork.bench.scale;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code mesh-bench/run.sh --scale}: a simulated fleet on a real 3-member etcd cluster on loopback,
 * for each fleet size in both watch modes (each service watched from its first use, and the whole
 * prefix as before), each round on a fresh cluster. Writes mesh-bench/results/scale.json.
 *
 * <pre>
 * ScaleMain [--repo DIR] [--sizes 100,1000,5000] [--whole-sizes 100,1000] [--instances 10] [--calls 5]
 *           [--per-connection 25] [--per-worker 1250] [--out FILE]
 * </pre>
 */
public final class ScaleMain {

  private ScaleMain() {}

  public static void main(String[] args) throws Exception {
    Path repo = Path.of("").toAbsolutePath();
    List<Integer> sizes = List.of(100, 1000, 5000);
    List<Integer> wholeSizes = List.of(100, 1000);
    int instances = 10;
    int calls = 5;
    int perConnection = 25;
    int perWorker = 1250;
    Path out = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--repo" -> repo = Path.of(args[++i]).toAbsolutePath();
        case "--sizes" -> sizes = ints(args[++i]);
        case "--whole-sizes" -> wholeSizes = ints(args[++i]);
        case "--instances" -> instances = Integer.parseInt(args[++i]);
        case "--calls" -> calls = Integer.parseInt(args[++i]);
        case "--per-connection" -> perConnection = Integer.parseInt(args[++i]);
        case "--per-worker" -> perWorker = Integer.parseInt(args[++i]);
        case "--out" -> out = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument: " + args[i] + " (expected: --repo,"
            + " --sizes, --whole-sizes, --instances, --calls, --per-connection, --per-worker, --out)");
      }
    }
    Path work = repo.resolve("mesh-bench/target/scale-run");
    Files.createDirectories(work);
    Map<String, Object> results = new LinkedHashMap<>();
    results.put("startedAt", Instant.now().toString());
    results.put("machine", Machine.describe());
    results.put("settings", Map.of("instancesPerService", instances, "callsPerProcess", calls,
        "processesPerConnection", perConnection, "processesPerWorkerJvm", perWorker, "etcdMembers", 3,
        "threadsPerWorkerForStartAndWarmUp", 8, "workersNiced", 10, "leaseTtlSeconds", 10,
        "etcdData", "/dev/shm when present"));
    List<Object> rounds = new ArrayList<>();
    results.put("rounds", rounds);
    Path file = out != null ? out : repo.resolve("mesh-bench/results/scale.json");
    for (int size : sizes) {
      for (String mode : wholeSizes.contains(size) ? List.of("lazy", "whole") : List.of("lazy")) {
        FleetPlan plan = new FleetPlan(size, instances, calls, 42);
        log("N = " + size + ", " + mode + " (" + plan.services() + " services)");
        Map<String, Object> round = new LinkedHashMap<>();
        round.put("mode", mode);
        round.put("loadBefore", Machine.loadAverage());
        round.put("busiestProcessesBefore", Machine.busiest(6));
        round.put("size", size);
        round.putAll(runRound(plan, "whole".equals(mode), perConnection, perWorker, work.resolve(mode + "-" + size)));
        round.put("loadAfter", Machine.loadAverage());
        round.put("busiestProcessesAfter", Machine.busiest(6));
        rounds.add(round);
        log("  " + summary(round));
        write(results, file); // after every round: a later one that fails leaves the earlier ones
      }
    }
    results.put("finishedAt", Instant.now().toString());
    write(results, file);
    log("results written to " + file);
  }

  private static void write(Map<String, Object> results, Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), results);
  }

  /** One round on a fresh etcd cluster and fresh worker JVMs. */
  static Map<String, Object> runRound(FleetPlan plan, boolean whole, int perConnection, int perWorker, Path dir)
      throws Exception {
    deleteTree(dir);
    Files.createDirectories(dir);
    int workerCount = Math.max(1, Math.min(4, (plan.processes() + perWorker - 1) / perWorker));
    workerCount = Math.max(workerCount, Math.min(4, plan.processes() / 250));
    try (LoopbackEtcd etcd = LoopbackEtcd.start(dir.resolve("etcd"), 3)) {
      List<Worker> workers = new ArrayList<>();
      try {
        for (int w = 0; w < workerCount; w++) {
          workers.add(ChildWorker.start("worker-" + w, "3g", List.of(etcd.endpoints(), whole ? "whole" : "lazy",
              String.valueOf(plan.processes()), String.valueOf(plan.instancesPerService()),
              String.valueOf(plan.callsPerProcess()), String.valueOf(plan.seed()), String.valueOf(perConnection),
              "8"), dir.resolve("worker-" + w + ".log")));
        }
        return new ScaleRound(plan, workers, etcd, 250, ScaleMain::log).run();
      } finally {
        workers.parallelStream().forEach(Worker::close);
      }
    }
  }

  private static String summary(Map<String, Object> round) {
    @SuppressWarnings("unchecked")
    Map<String, Object> restart = (Map<String, Object>) round.get("rollingRestart");
    return "registration " + round.get("registrationSeconds") + " s (settled " + round.get("settledSeconds")
        + " s), heap/process " + ((Number) round.get("heapPerProcessBytes")).longValue() / 1024 + " KiB, etcd "
        + round.get("etcdAfterWarmUp") + ", idle " + round.get("etcdIdle") + "; restart: "
        + (restart.containsKey("failed") ? "FAILED " + restart.get("failed") : restart.get("perCallerMs")
            + " ms, all callers " + restart.get("allCallersPerChangeMs") + " ms, events sent "
            + restart.get("watchEventsSentByEtcd"));
  }

  private static List<Integer> ints(String list) {
    return Arrays.stream(list.split(",")).filter(s -> !s.isBlank()).map(String::trim).map(Integer::parseInt).toList();
  }

  static void log(String line) {
    System.out.println("[scale] " + line);
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (var walk = Files.walk(root)) {
      for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
