package io.meshwork.bench.scale;

import io.meshwork.etcd.EtcdServiceRegistry;
import io.meshwork.time.SystemScheduler;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The simulated processes of one JVM and the commands the coordinator gives them. Processes are put
 * in groups of {@code perConnection} that share one etcd connection, as {@link SimulatedProcess}
 * says; the group's connection stays open while any process of the group is.
 */
final class FleetWorker implements AutoCloseable {

  private final FleetPlan plan;
  private final String endpoints;
  private final boolean watchAll;
  private final int perConnection;
  private final SystemScheduler scheduler = new SystemScheduler("meshwork-scale-timer");
  private final ExecutorService pool;
  private final Map<Integer, SimulatedProcess> processes = new ConcurrentHashMap<>();
  private final Map<Integer, Integer> generations = new ConcurrentHashMap<>();
  private final Map<Integer, List<Integer>> groups = new ConcurrentHashMap<>(); // group -> its processes
  private final long baselineHeap;

  FleetWorker(FleetPlan plan, String endpoints, boolean watchAll, int perConnection, int threads) {
    this.plan = plan;
    this.endpoints = endpoints;
    this.watchAll = watchAll;
    this.perConnection = perConnection;
    this.pool = Executors.newFixedThreadPool(threads);
    this.baselineHeap = heapAfterGc();
  }

  /** Starts {@code indices} and registers their instances; returns the failures. */
  Map<String, Object> start(List<Integer> indices) throws Exception {
    // The first of each group opens the group's connection; the others share it, so they wait for it.
    List<Integer> leaders = new ArrayList<>();
    List<Integer> followers = new ArrayList<>();
    for (int i = 0; i < indices.size(); i++) {
      int group = i / perConnection;
      groups.computeIfAbsent(group, g -> new ArrayList<>()).add(indices.get(i));
      (i % perConnection == 0 ? leaders : followers).add(indices.get(i));
    }
    AtomicInteger failures = new AtomicInteger();
    List<String> errors = new ArrayList<>();
    List<Long> builds = Collections.synchronizedList(new ArrayList<>());
    List<Long> registers = Collections.synchronizedList(new ArrayList<>());
    runAll(leaders, p -> startOne(p, builds, registers), failures, errors);
    runAll(followers, p -> startOne(p, builds, registers), failures, errors);
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("failures", failures.get());
    result.put("errors", errors.stream().limit(5).toList());
    result.put("buildMicros", builds);
    result.put("registerMicros", registers);
    return result;
  }

  /** Each process calls each of its services once; returns how many calls succeeded and failed. */
  Map<String, Object> warm() throws Exception {
    AtomicInteger ok = new AtomicInteger();
    AtomicInteger failures = new AtomicInteger();
    List<String> errors = new ArrayList<>();
    runAll(new ArrayList<>(processes.keySet()), p -> ok.addAndGet(processes.get(p).warm()), failures, errors);
    return Map.of("ok", ok.get(), "failures", failures.get(), "errors", errors.stream().limit(5).toList());
  }

  /** The heap this JVM's processes hold after a full collection, next to what it held before them. */
  Map<String, Object> heap() {
    long used = heapAfterGc();
    return Map.of("baselineBytes", baselineHeap, "usedBytes", used, "processes", processes.size(),
        "threads", Thread.activeCount());
  }

  /** What the registries received and watch: sums over this JVM's processes but {@code exclude}. */
  Map<String, Object> counts(List<Integer> exclude) {
    long changes = 0;
    long watched = 0;
    int counted = 0;
    for (SimulatedProcess process : processes.values()) {
      if (exclude.contains(process.index())) {
        continue;
      }
      changes += process.registry().receivedChanges();
      watched += process.registry().watchedServices().size();
      counted++;
    }
    return Map.of("receivedChanges", changes, "watchedServices", watched, "processes", counted);
  }

  /** Every process records the changes its picker of {@code service} sees from now on. */
  void track(String service) {
    processes.values().forEach(process -> process.transport().track(service));
  }

  /**
   * Replaces process {@code index} as a rolling restart does: stops it (its lease revoked, its
   * instance gone), starts it anew at a new address and registers it. Returns the two changes with
   * the wall-clock times (microseconds) each write was issued and answered.
   */
  Map<String, Object> replace(int index) throws Exception {
    SimulatedProcess old = processes.remove(index);
    String removedId = old.instance().id();
    long removedAt = nowMicros();
    old.close();
    long removedDone = nowMicros();
    int generation = generations.merge(index, 1, Integer::sum);
    SimulatedProcess fresh = SimulatedProcess.start(plan, index, generation, endpoints, watchAll, sharing(index),
        scheduler);
    long addedAt = nowMicros();
    fresh.register();
    long addedDone = nowMicros();
    processes.put(index, fresh);
    fresh.transport().track(null);
    fresh.warm();
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("removedId", removedId);
    result.put("removedAt", removedAt);
    result.put("removedDone", removedDone);
    result.put("addedId", fresh.instance().id());
    result.put("addedAt", addedAt);
    result.put("addedDone", addedDone);
    return result;
  }

  /** For each process calling {@code service}: what its picker held, and when. */
  Map<String, Object> observations(String service) {
    Map<String, Object> byProcess = new LinkedHashMap<>();
    for (SimulatedProcess process : processes.values()) {
      if (process.calls().contains(service)) {
        List<Object> seen = new ArrayList<>();
        for (RecordingTransport.Observation observation : process.transport().observations()) {
          seen.add(Map.of("micros", observation.micros(), "ids", observation.ids()));
        }
        byProcess.put(String.valueOf(process.index()), seen);
      }
    }
    return byProcess;
  }

  /** Each caller of {@code service} calls it a few times: the ids that answered, over all callers. */
  Map<String, Object> answers(String service, int times) throws Exception {
    Map<String, Integer> byId = new ConcurrentHashMap<>();
    AtomicInteger failures = new AtomicInteger();
    List<String> errors = new ArrayList<>();
    List<Integer> callers = processes.values().stream().filter(p -> p.calls().contains(service))
        .map(SimulatedProcess::index).toList();
    runAll(callers, p -> processes.get(p).answersOf(service, times).forEach(id -> byId.merge(id, 1, Integer::sum)),
        failures, errors);
    return Map.of("answers", byId, "failures", failures.get(), "errors", errors.stream().limit(5).toList());
  }

  @Override
  public void close() {
    List<SimulatedProcess> all = new ArrayList<>(processes.values());
    processes.clear();
    // Group leaders last: a connection closes with the last registry using it, either way.
    all.parallelStream().forEach(SimulatedProcess::close);
    pool.shutdownNow();
    scheduler.close();
  }

  private void startOne(int index, List<Long> builds, List<Long> registers) throws Exception {
    generations.putIfAbsent(index, 0);
    long begin = System.nanoTime();
    SimulatedProcess process = SimulatedProcess.start(plan, index, generations.get(index), endpoints, watchAll,
        sharing(index), scheduler);
    long built = System.nanoTime();
    process.register();
    builds.add((built - begin) / 1000);
    registers.add((System.nanoTime() - built) / 1000);
    processes.put(index, process);
  }

  /** An open registry of the group of {@code index}, whose connection a new process shares; null for the first. */
  private EtcdServiceRegistry sharing(int index) {
    for (List<Integer> members : groups.values()) {
      if (members.contains(index)) {
        for (int member : members) {
          SimulatedProcess process = processes.get(member);
          if (member != index && process != null) {
            return process.registry();
          }
        }
      }
    }
    return null;
  }

  /** Something to do for one process. */
  private interface Step {
    void run(int process) throws Exception;
  }

  private void runAll(List<Integer> indices, Step step, AtomicInteger failures, List<String> errors)
      throws Exception {
    List<Future<?>> running = new ArrayList<>();
    for (int index : indices) {
      running.add(pool.submit(() -> {
        try {
          step.run(index);
        } catch (Exception e) {
          failures.incrementAndGet();
          synchronized (errors) {
            errors.add(index + ": " + e);
          }
        }
        return null;
      }));
    }
    for (Future<?> future : running) {
      future.get();
    }
  }

  static long nowMicros() {
    return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
  }

  private static long heapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
