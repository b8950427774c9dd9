package io.meshwork.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshwork.registry.ServiceInstance;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watches of every service a registry watches come back after the member it talks to restarts:
 * each resumes from its own last revision (no read again, nothing missed), or, when that revision was
 * compacted meanwhile, reads its service again; a service it does not watch stays unknown to it.
 */
class WatchResumptionTest {

  private static final Duration RECOVERY = Duration.ofSeconds(30);

  @TempDir
  Path dir;

  private EtcdCluster cluster;
  private EtcdProcess m1;
  private String others;

  @BeforeEach
  void start() {
    cluster = EtcdCluster.start(dir, 3);
    m1 = cluster.members().get(0);
    others = cluster.members().get(1).clientUrl() + "," + cluster.members().get(2).clientUrl();
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void eachWatchedServiceResumesFromItsRevisionAfterARestart() throws Exception {
    try (EtcdServiceRegistry registry = watchingAlphaAndBetaThenChangingBothWithoutM1()) {
      put("gamma", "g1", 4);
      m1.start();
      m1.awaitHealthy(Duration.ofSeconds(10));

      Await.until(RECOVERY, () -> registry.instances("alpha").size() == 2 && registry.instances("beta").isEmpty(),
          () -> "alpha " + registry.instances("alpha") + ", beta " + registry.instances("beta"));
      assertThat(registry.reloadCount()).as("resumed from their revisions, not read again").isZero();
      assertThat(registry.watchedServices()).containsExactlyInAnyOrder("alpha", "beta");
      assertThat(registry.receivedChanges()).as("two changes of alpha and beta; none of gamma").isEqualTo(2);
    }
  }

  @Test
  void eachWatchedServiceReadsItselfAgainWhenItsRevisionWasCompacted() throws Exception {
    try (EtcdServiceRegistry registry = watchingAlphaAndBetaThenChangingBothWithoutM1()) {
      put("beta", "b2", 4);
      long revision = new ObjectMapper().readTree(Etcdctl.run(others, "get", "-w", "json", "x"))
          .get("header").get("revision").asLong();
      Etcdctl.run(others, "compact", String.valueOf(revision));
      m1.start();
      m1.awaitHealthy(Duration.ofSeconds(10));

      // The lists can be right before the last of the three reads is counted (the index's read may end last).
      Await.until(RECOVERY, () -> ids(registry, "alpha").equals(List.of("a1", "a2"))
          && ids(registry, "beta").equals(List.of("b2")) && registry.reloadCount() >= 3,
          () -> "alpha " + registry.instances("alpha") + ", beta " + registry.instances("beta") + ", reloads "
              + registry.reloadCount());
      assertThat(registry.reloadCount()).as("the namespace index, alpha and beta read again").isEqualTo(3);
    }
  }

  /**
   * A registry on m1 that watches alpha (a1) and beta (b1); then m1 is killed and, through the
   * others, a2 is added to alpha and b1 deleted. m1 is still down when this returns.
   */
  private EtcdServiceRegistry watchingAlphaAndBetaThenChangingBothWithoutM1() {
    put("alpha", "a1", 1);
    put("beta", "b1", 2);
    EtcdServiceRegistry registry = registry();
    assertThat(registry.instances("alpha")).hasSize(1);
    assertThat(registry.instances("beta")).hasSize(1);
    m1.kill();
    cluster.awaitLeader(Duration.ofSeconds(10));
    put("alpha", "a2", 3);
    Etcdctl.run(others, "del", "/meshwork/services/default/beta/b1");
    return registry;
  }

  private EtcdServiceRegistry registry() {
    return EtcdServiceRegistry.builder().endpoints(m1.clientUrl()).requestTimeout(Duration.ofSeconds(2)).build();
  }

  private void put(String service, String id, int port) {
    Etcdctl.run(cluster.runningEndpoints(), "put", "/meshwork/services/default/" + service + "/" + id,
        "{\"host\":\"10.0.0.1\",\"port\":" + port + "}");
  }

  private static List<String> ids(EtcdServiceRegistry registry, String service) {
    return registry.instances(service).stream().map(ServiceInstance::id).toList();
  }
}
