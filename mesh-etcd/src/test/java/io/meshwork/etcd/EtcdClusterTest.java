package io.meshwork.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.registry.Subscription;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real 3-member etcd cluster: the registry rides out the loss of the leader, and a watch that
 * comes back after its revision was compacted reads the prefix again rather than missing changes.
 */
class EtcdClusterTest {

  @TempDir
  Path dir;

  private EtcdCluster cluster;

  @BeforeEach
  void start() {
    cluster = EtcdCluster.start(dir, 3);
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void registrationsSucceedAgainWithinFiveSecondsOfKillingTheLeaderAndDiscoveryNeverEmpties()
      throws Exception {
    // Default settings (5 s request timeout): what a user gets.
    String[] endpoints = cluster.endpoints().split(",");
    try (EtcdServiceRegistry writer = EtcdServiceRegistry.builder().endpoints(endpoints).build();
         EtcdServiceRegistry reader = EtcdServiceRegistry.builder().endpoints(endpoints).build()) {
      ServiceInstance first = instance("shipping", 0);
      writer.register(first).get(10, TimeUnit.SECONDS);
      Await.until(Duration.ofSeconds(10), () -> !reader.discover("shipping").isEmpty(), "first seen");
      List<Integer> emptied = new CopyOnWriteArrayList<>();
      try (Subscription ignored = reader.watch("shipping", list -> {
        if (list.isEmpty()) {
          emptied.add(1);
        }
      })) {
        RegistrationLoop loop = new RegistrationLoop(writer, reader, emptied);
        loop.start();
        try {
          Await.until(Duration.ofSeconds(10), () -> loop.successes() >= 5, "registering");
          EtcdProcess leader = cluster.leader();
          long killedAt = System.nanoTime();
          leader.kill();
          // Recovered: successes without a failure for a second, some time after the kill.
          Await.until(Duration.ofSeconds(15), () -> loop.healthySince(killedAt, 1_000_000_000L),
              "registrations healthy again after the leader was killed");
          System.out.println("MEASURED: leader " + leader.name() + " killed; " + loop.failuresSince(killedAt)
              + " registration(s) failed " + loop.errors() + "; longest time without a successful"
              + " registration " + loop.longestGapMillis() + " ms");
          assertThat(loop.longestGapMillis()).isLessThanOrEqualTo(5000);
        } finally {
          loop.stop();
        }
      }
      assertThat(emptied).as("discovery emptied at some point").isEmpty();
      assertThat(reader.discover("shipping")).contains(first);
    }
  }

  @Test
  void aWatchThatResumesAfterACompactionReadsThePrefixAgain() throws Exception {
    EtcdProcess m1 = cluster.members().get(0);
    String others = cluster.members().get(1).clientUrl() + "," + cluster.members().get(2).clientUrl();
    Etcdctl.run(others, "put", "/meshwork/services/default/stock/gone", "{\"host\":\"10.0.0.1\",\"port\":1}");
    try (EtcdServiceRegistry registry = registry(m1.clientUrl())) { // talks to m1 only
      Await.until(Duration.ofSeconds(10), () -> registry.instances("stock").size() == 1, "initial load");

      m1.kill();
      cluster.awaitLeader(Duration.ofSeconds(10)); // a write sent during the election would time out
      Etcdctl.run(others, "put", "/meshwork/services/default/stock/new",
          "{\"host\":\"10.0.0.2\",\"port\":2}");
      Etcdctl.run(others, "del", "/meshwork/services/default/stock/gone");
      long revision = new ObjectMapper().readTree(Etcdctl.run(others, "get", "-w", "json", "x"))
          .get("header").get("revision").asLong();
      Etcdctl.run(others, "compact", String.valueOf(revision));
      m1.start();
      m1.awaitHealthy(Duration.ofSeconds(10));

      ServiceInstance expected = ServiceInstance.builder("stock", "new").host("10.0.0.2").port(2).build();
      Await.until(Duration.ofSeconds(30), () -> registry.instances("stock").equals(List.of(expected)),
          () -> "changes made during the gap not seen: " + registry.instances("stock"));
      assertThat(registry.reloadCount()).as("the prefix was read again").isPositive();
    }
  }

  private static EtcdServiceRegistry registry(String endpoints) {
    return EtcdServiceRegistry.builder().endpoints(endpoints.split(","))
        .requestTimeout(Duration.ofSeconds(2)).build();
  }

  private static ServiceInstance instance(String service, int i) {
    return ServiceInstance.builder(service, "10.1.0." + (i % 250) + ":" + (10000 + i))
        .host("10.1.0." + (i % 250)).port(10000 + i).build();
  }
}
