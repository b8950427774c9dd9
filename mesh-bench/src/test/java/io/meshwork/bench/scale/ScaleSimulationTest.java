package io.meshwork.bench.scale;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scale benchmark in small, in CI: 50 simulated processes in two workers of this JVM on a real
 * 3-member etcd cluster, in both watch modes. It checks what the benchmark claims, never a speed:
 * with per-service watching a process watches and receives only what it calls, every caller's picker
 * shows every change of a rolling restart, and no call reaches a replaced instance afterwards.
 */
class ScaleSimulationTest {

  private static final FleetPlan PLAN = new FleetPlan(50, 5, 3, 7);

  @TempDir
  Path dir;

  @Test
  void aProcessWatchesAndReceivesOnlyTheServicesItCalls() throws Exception {
    Map<String, Object> round = round(false, dir.resolve("lazy"));
    assertCommon(round);
    assertThat(((Number) round.get("watchedServicesPerProcess")).doubleValue()).as("services watched per process")
        .isEqualTo(3.0);
    Map<String, Object> etcd = map(round, "etcdAfterWarmUp");
    assertThat(number(etcd, "watchStreams")).as("one watch stream per process").isEqualTo(50);
    assertThat(number(etcd, "watchers")).as("per process: the namespace index and 3 services").isEqualTo(50 * 4);
    Map<String, Object> restart = map(round, "rollingRestart");
    int callers = PLAN.callersOf(FleetPlan.service(0)).size();
    assertThat(number(restart, "changesReceivedByProcesses")).as("each caller: a delete and a put per instance")
        .isEqualTo((long) callers * 2 * PLAN.instancesPerService());
  }

  @Test
  void watchingTheWholePrefixSendsEveryChangeToEveryProcess() throws Exception {
    Map<String, Object> round = round(true, dir.resolve("whole"));
    assertCommon(round);
    Map<String, Object> etcd = map(round, "etcdAfterWarmUp");
    assertThat(number(etcd, "watchStreams")).isEqualTo(50);
    assertThat(number(etcd, "watchers")).as("one prefix watch per process").isEqualTo(50);
    Map<String, Object> restart = map(round, "rollingRestart");
    assertThat(number(restart, "changesReceivedByProcesses")).as("every process but the replaced ones, every change")
        .isEqualTo((long) (PLAN.processes() - PLAN.instancesPerService()) * 2 * PLAN.instancesPerService());
  }

  private static void assertCommon(Map<String, Object> round) {
    assertThat(number(round, "startFailures")).isZero();
    assertThat(number(round, "warmUpFailures")).isZero();
    assertThat(number(round, "warmUpCalls")).isEqualTo(PLAN.processes() * PLAN.callsPerProcess());
    Map<String, Object> restart = map(round, "rollingRestart");
    assertThat(number(restart, "callers")).isEqualTo(PLAN.callersOf(FleetPlan.service(0)).size());
    assertThat(number(restart, "missed")).as("changes a caller's picker never showed").isZero();
    assertThat(number(restart, "pairs")).isEqualTo(number(restart, "callers") * number(restart, "changes"));
    assertThat(number(restart, "callsAnsweredByReplacedInstances")).isZero();
    assertThat(number(restart, "callFailuresAfterRestart")).isZero();
    System.out.println("MEASURED (50 processes in one JVM, not a benchmark): " + round);
  }

  private static Map<String, Object> round(boolean whole, Path dir) throws Exception {
    try (LoopbackEtcd etcd = LoopbackEtcd.start(dir, 3)) {
      List<Worker> workers = new ArrayList<>();
      try {
        for (int i = 0; i < 2; i++) {
          workers.add(Worker.local(new FleetWorker(PLAN, etcd.endpoints(), whole, 10, 8)));
        }
        return new ScaleRound(PLAN, workers, etcd, 50, line -> { }).run();
      } finally {
        workers.forEach(Worker::close);
      }
    }
  }

  private static long number(Map<String, Object> parent, String key) {
    return ((Number) parent.get(key)).longValue();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Map<String, Object> parent, String key) {
    return (Map<String, Object>) parent.get(key);
  }
}
