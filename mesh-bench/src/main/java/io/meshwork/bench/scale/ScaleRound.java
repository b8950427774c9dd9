package io.meshwork.bench.scale;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * One measured round: a fleet of simulated processes in some workers over one etcd cluster, in one
 * watch mode. Phases: start and register every process (the fleet's registration time), warm up
 * (each process calls its services once), read heap, etcd and counters, then a rolling restart of one
 * service — its instances replaced one by one — timed until every caller's picker showed every change.
 */
final class ScaleRound {

  private final FleetPlan plan;
  private final List<Worker> workers;
  private final LoopbackEtcd etcd;
  private final Consumer<String> log;
  private final long pauseMillis;

  /** {@code pauseMillis} is the time between two replacements of the rolling restart. */
  ScaleRound(FleetPlan plan, List<Worker> workers, LoopbackEtcd etcd, long pauseMillis, Consumer<String> log) {
    this.plan = plan;
    this.workers = workers;
    this.etcd = etcd;
    this.pauseMillis = pauseMillis;
    this.log = log;
  }

  /** Which worker runs process {@code process}. */
  int workerOf(int process) {
    return process % workers.size();
  }

  /** Runs the round; its figures. */
  Map<String, Object> run() throws Exception {
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("processes", plan.processes());
    result.put("services", plan.services());
    result.put("instancesPerService", plan.instancesPerService());
    result.put("callsPerProcess", plan.callsPerProcess());
    result.put("workers", workers.size());
    Map<String, Object> etcdStart = etcd.stats();

    long begin = System.nanoTime();
    List<Map<String, Object>> started = onEach(w -> Map.of("processes", processesOf(w)), "start");
    double registration = seconds(begin);
    result.put("registrationSeconds", registration);
    result.put("startFailures", sum(started, "failures"));
    result.put("startErrors", started.stream().flatMap(reply -> ((List<?>) reply.get("errors")).stream()).limit(5)
        .map(String::valueOf).toList());
    result.put("registryBuildMs", percentiles(started, "buildMicros"));
    result.put("registerMs", percentiles(started, "registerMicros"));
    log.accept(String.format("  %d processes started and registered in %.1f s", plan.processes(), registration));
    // Every registration is a change that every process watching that service receives: wait until
    // etcd has sent them all (its count of events sent stands still), the time the fleet takes to settle.
    result.put("settledSeconds", registration + awaitQuiet());

    begin = System.nanoTime();
    List<Map<String, Object>> warmed = onEach(w -> Map.of(), "warm");
    result.put("warmUpSeconds", seconds(begin));
    result.put("warmUpCalls", sum(warmed, "ok"));
    result.put("warmUpFailures", sum(warmed, "failures"));
    result.put("warmUpErrors", warmed.stream().flatMap(reply -> ((List<?>) reply.get("errors")).stream()).limit(5)
        .map(String::valueOf).toList());

    List<Map<String, Object>> heaps = onEach(w -> Map.of(), "heap");
    long held = 0;
    for (Map<String, Object> heap : heaps) {
      held += ((Number) heap.get("usedBytes")).longValue() - ((Number) heap.get("baselineBytes")).longValue();
    }
    result.put("heapPerProcessBytes", held / plan.processes());
    result.put("threadsPerWorker", heaps.stream().mapToInt(h -> ((Number) h.get("threads")).intValue()).max().orElse(0));
    Map<String, Object> etcdSteady = etcd.stats();
    result.put("etcdAfterWarmUp", etcdSteady);
    result.put("etcdCpuSecondsToWarmUp", (double) etcdSteady.get("cpuSeconds") - (double) etcdStart.get("cpuSeconds"));
    // The processes the restart replaces start their counts again: they are left out of the sums.
    Map<String, Object> callersOnly = Map.of("exclude", plan.instancesOf(0));
    List<Map<String, Object>> counts = onEach(w -> callersOnly, "counts");
    long changesBefore = sum(counts, "receivedChanges");
    long counted = sum(counts, "processes");
    result.put("receivedChangesPerProcessAfterWarmUp", Math.round(100.0 * changesBefore / counted) / 100.0);
    result.put("watchedServicesPerProcess", Math.round(100.0 * sum(counts, "watchedServices") / counted) / 100.0);
    result.put("etcdIdle", idle(20));

    try {
      result.put("rollingRestart", rollingRestart(changesBefore));
    } catch (Exception e) {
      // A fleet that etcd cannot keep up with is a result too: say how it failed, keep the rest.
      result.put("rollingRestart", Map.of("failed", String.valueOf(e.getMessage())));
      log.accept("  rolling restart failed: " + e.getMessage());
    }
    result.put("etcdAtEnd", etcd.stats());
    return result;
  }

  private Map<String, Object> rollingRestart(long changesBefore) throws Exception {
    String service = FleetPlan.service(0);
    List<Integer> instances = plan.instancesOf(0);
    onEach(w -> Map.of("service", service), "track");
    Map<String, Object> etcdBefore = etcd.stats();
    List<RestartLatencies.Change> changes = new ArrayList<>();
    List<String> fresh = new ArrayList<>();
    long begin = System.nanoTime();
    for (int process : instances) {
      Map<String, Object> replaced = workers.get(workerOf(process)).call("replace", Map.of("process", process));
      changes.add(new RestartLatencies.Change((String) replaced.get("removedId"), false,
          micros(replaced, "removedAt"), micros(replaced, "removedDone")));
      changes.add(new RestartLatencies.Change((String) replaced.get("addedId"), true,
          micros(replaced, "addedAt"), micros(replaced, "addedDone")));
      fresh.add((String) replaced.get("addedId"));
      Thread.sleep(pauseMillis); // the pace of the rolling restart, not a wait for a result
    }
    double writing = seconds(begin);
    List<String> expected = fresh.stream().sorted().toList();
    Map<String, Object> observations = awaitCallers(service, expected, 120);
    Map<String, Object> etcdAfter = etcd.stats();
    RestartLatencies latencies = new RestartLatencies();
    latencies.add(changes, observations);

    Map<String, Object> restart = new LinkedHashMap<>();
    restart.put("service", service);
    restart.put("instancesReplaced", instances.size());
    restart.put("changes", changes.size());
    restart.put("callers", observations.size());
    restart.put("restartSeconds", writing);
    restart.putAll(latencies.summary());
    restart.put("watchEventsSentByEtcd", (long) etcdAfter.get("eventsSent") - (long) etcdBefore.get("eventsSent"));
    long changesAfter = sum(onEach(w -> Map.of("exclude", instances), "counts"), "receivedChanges");
    restart.put("changesReceivedByProcesses", changesAfter - changesBefore);
    restart.put("etcdCpuSeconds", (double) etcdAfter.get("cpuSeconds") - (double) etcdBefore.get("cpuSeconds"));
    Map<String, Integer> answers = new LinkedHashMap<>();
    int failures = 0;
    for (Map<String, Object> reply : onEach(w -> Map.of("service", service, "times", 3), "answers")) {
      @SuppressWarnings("unchecked")
      Map<String, Number> byId = (Map<String, Number>) reply.get("answers");
      byId.forEach((id, count) -> answers.merge(id, count.intValue(), Integer::sum));
      failures += ((Number) reply.get("failures")).intValue();
    }
    long stale = answers.entrySet().stream().filter(e -> !expected.contains(e.getKey()))
        .mapToLong(Map.Entry::getValue).sum();
    restart.put("callsAfterRestart", answers.values().stream().mapToInt(Integer::intValue).sum());
    restart.put("callsAnsweredByReplacedInstances", stale);
    restart.put("callFailuresAfterRestart", failures);
    return restart;
  }

  /** Polls until every caller's picker holds exactly {@code expected}, or {@code boundSeconds} passed. */
  private Map<String, Object> awaitCallers(String service, List<String> expected, int boundSeconds) throws Exception {
    long end = System.nanoTime() + boundSeconds * 1_000_000_000L;
    while (true) {
      Map<String, Object> all = new LinkedHashMap<>();
      for (Map<String, Object> reply : onEach(w -> Map.of("service", service), "observations")) {
        all.putAll(reply);
      }
      boolean done = all.values().stream().allMatch(seen -> {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> list = (List<Map<String, Object>>) seen;
        return !list.isEmpty() && list.get(list.size() - 1).get("ids").equals(expected);
      });
      if (done || System.nanoTime() > end) {
        return all;
      }
      Thread.sleep(500); // polling other JVMs, with a bound
    }
  }

  /**
   * What etcd spends while the fleet only lives ({@code seconds} with no change: lease keep-alives,
   * idle watch streams): CPU as a share of one core, summed over members and for the busiest.
   */
  private Map<String, Object> idle(int seconds) throws InterruptedException {
    Map<String, Object> before = etcd.stats();
    List<Double> cpuBefore = etcd.memberCpuSeconds();
    Thread.sleep(seconds * 1000L); // the span the idle CPU is measured over
    Map<String, Object> after = etcd.stats();
    List<Double> cpuAfter = etcd.memberCpuSeconds();
    double busiest = 0;
    for (int i = 0; i < cpuAfter.size(); i++) {
      busiest = Math.max(busiest, cpuAfter.get(i) - cpuBefore.get(i));
    }
    Map<String, Object> idle = new LinkedHashMap<>();
    idle.put("seconds", seconds);
    idle.put("cpuCoresAllMembers", Math.round(100.0 * ((double) after.get("cpuSeconds")
        - (double) before.get("cpuSeconds")) / seconds) / 100.0);
    idle.put("cpuCoresBusiestMember", Math.round(100.0 * busiest / seconds) / 100.0);
    idle.put("eventsSent", (long) after.get("eventsSent") - (long) before.get("eventsSent"));
    return idle;
  }

  /** Waits until etcd's count of events sent has not moved for two seconds; returns the seconds waited. */
  private double awaitQuiet() throws InterruptedException {
    long begin = System.nanoTime();
    long last = -1;
    long stillSince = System.nanoTime();
    long end = begin + 600_000_000_000L;
    while (System.nanoTime() < end) {
      long sent = (long) etcd.stats().get("eventsSent");
      if (sent != last) {
        last = sent;
        stillSince = System.nanoTime();
      } else if (System.nanoTime() - stillSince >= 2_000_000_000L) {
        return Math.round((stillSince - begin) / 1e7) / 100.0;
      }
      Thread.sleep(250); // polling etcd's counters, with a bound
    }
    return Math.round((System.nanoTime() - begin) / 1e7) / 100.0;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> percentiles(List<Map<String, Object>> replies, String field) {
    List<Long> all = new ArrayList<>();
    for (Map<String, Object> reply : replies) {
      ((List<Number>) reply.get(field)).forEach(n -> all.add(n.longValue()));
    }
    Collections.sort(all);
    Map<String, Object> p = new LinkedHashMap<>();
    if (all.isEmpty()) {
      return p;
    }
    p.put("p50", all.get(all.size() / 2) / 1000.0);
    p.put("p99", all.get(Math.min(all.size() - 1, (int) Math.ceil(all.size() * 0.99) - 1)) / 1000.0);
    p.put("max", all.get(all.size() - 1) / 1000.0);
    return p;
  }

  private List<Integer> processesOf(int worker) {
    List<Integer> mine = new ArrayList<>();
    for (int p = 0; p < plan.processes(); p++) {
      if (workerOf(p) == worker) {
        mine.add(p);
      }
    }
    return mine;
  }

  /** Runs {@code command} on every worker at once, with the arguments {@code args} gives each. */
  private List<Map<String, Object>> onEach(IntFunction<Map<String, Object>> args, String command)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(workers.size());
    try {
      List<Future<Map<String, Object>>> replies = new ArrayList<>();
      for (int i = 0; i < workers.size(); i++) {
        int worker = i;
        Callable<Map<String, Object>> call = () -> workers.get(worker).call(command, args.apply(worker));
        replies.add(pool.submit(call));
      }
      List<Map<String, Object>> all = new ArrayList<>();
      for (Future<Map<String, Object>> reply : replies) {
        all.add(reply.get());
      }
      return all;
    } finally {
      pool.shutdownNow();
    }
  }

  private static long micros(Map<String, Object> reply, String field) {
    return ((Number) reply.get(field)).longValue();
  }

  private static long sum(List<Map<String, Object>> replies, String field) {
    return replies.stream().mapToLong(reply -> ((Number) reply.get(field)).longValue()).sum();
  }

  private static double seconds(long since) {
    return Math.round((System.nanoTime() - since) / 1e7) / 100.0;
  }
}
