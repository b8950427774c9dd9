package io.meshwork.bench.harness;

import java.util.List;

/**
 * How long and how often everything runs. The full plan takes about 20 minutes on 2 cores (about
 * 11 for the rounds of the comparison and the scenarios, 7 for JMH with 2 forks); the quick plan
 * only proves, in about a minute, that every client still completes its calls.
 *
 * @param quick whether this is the quick plan
 * @param rounds rounds of the comparison and the scenarios; each figure is their median
 * @param concurrency callers of the closed loop
 * @param closedWarmupMs closed-loop warm-up, at least
 * @param closedMaxWarmupMs closed-loop warm-up at most, prolonged while the JIT still compiles; a
 *     client still compiling then is reported as never settled
 * @param closedMeasureMs closed-loop window (also of the one-thread closed loop)
 * @param rate requests per second of the open loop (and of the slow-instance scenario)
 * @param openWarmupMs open-loop warm-up
 * @param openMeasureMs open-loop window
 * @param slowConfigs configurations of the slow-instance scenario
 * @param failingBalancers balancers of the one-failing-instance scenario
 * @param prewarmMs closed-loop JIT warm-up (throwaway client) before the slow-instance scenario's open loop
 * @param armeriaPrewarmMs the same for Armeria, whose JIT takes longer to settle
 * @param scenarioWarmupMs open-loop warm-up of the slow-instance scenario
 * @param scenarioMeasureMs window of the slow-instance scenario
 * @param failingWarmupMs warm-up of the one-failing-instance scenario
 * @param failingMeasureMs window of the one-failing-instance scenario
 * @param outageRate request rate under total outage
 * @param outageMs length of the total-outage run (measured from the client's start)
 * @param heapServices services of the heap figure
 * @param heapInstances instances per service of the heap figure
 * @param heapKinds clients whose heap is measured
 * @param jmh JMH arguments, or empty to skip the micro-benchmarks
 * @param oneThreadWarmupMs warm-up of the closed loop started from one thread (the JIT is warm by then)
 * @param setupWarmupCalls unmeasured calls on new connections before the set-up figure
 * @param setupCalls measured calls on new connections (the set-up figure)
 * @param jmhMinutes how long the JMH child may run before the run gives up on it
 * @param pairedRounds rounds of each paired CPU comparison ({@code PairedCpu}: telemetry, routes)
 * @param pairedCalls calls per round and side of a paired comparison
 * @param minLoopBalance the least busy event loop's share of the busiest one's work below which a run
 *     fails; an idle loop does none. Lower in the quick plan, whose sub-second windows are at the
 *     mercy of the scheduler on a busy machine
 */
record Plan(boolean quick, int rounds, int concurrency, int closedWarmupMs, int closedMaxWarmupMs,
    int closedMeasureMs, int rate,
    int openWarmupMs, int openMeasureMs, List<String> slowConfigs, List<String> failingBalancers,
    int prewarmMs, int armeriaPrewarmMs, int scenarioWarmupMs, int scenarioMeasureMs, int failingWarmupMs, int failingMeasureMs,
    int outageRate, int outageMs, int heapServices,
    int heapInstances, List<String> heapKinds, List<String> jmh, int oneThreadWarmupMs, int setupWarmupCalls,
    int setupCalls, int jmhMinutes, int pairedRounds, int pairedCalls, double minLoopBalance) {

  static final List<String> BALANCERS = List.of("roundRobin", "leastRequest", "peakEwma");

  static Plan fullRun() {
    return new Plan(false, 3, 32, 4000, 30000, 3000, 2000, 1000, 3000,
        List.of("roundRobin", "leastRequest", "peakEwma", "armeria", "threeFast"), BALANCERS,
        2000, 8000, 1000, 3000, 500, 2500, 500, 4000, 100, 10, List.of("limit", "meshwork", "armeria", "haproxy"),
        // At least 2 forks and 5 measured iterations of 1 s: a figure comes with an error that means something.
        List.of("-wi", "2", "-w", "1s", "-i", "5", "-r", "1s", "-f", "2", "-prof", "gc", "-p", "instances=10,1000"),
        1000, 50, 200, 15, 20, 100_000, 0.5);
  }

  static Plan quickRun() {
    return new Plan(true, 1, 16, 700, 700, 1000, 500, 300, 700, List.of("peakEwma", "roundRobin"), List.of("peakEwma"),
        300, 300, 300, 700, 300, 700, 200, 1500, 10, 3, List.of("limit", "meshwork"),
        List.of(), 300, 5, 20, 0, 2, 2_000, 0.2);
  }
}
