package io.meshwork.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.registry.HealthStatus;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.registry.Subscription;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry watches only the services it is asked for, from the first time it is asked: a process
 * that never asks for a service receives none of its changes (counted), its first answer for a service
 * comes from a read rather than an empty list, and all its watches share one stream without a thread
 * each (counted on etcd's own metrics and among the JVM's threads).
 */
class LazyWatchTest {

  private static final Duration BOUND = Duration.ofSeconds(10);

  @TempDir
  Path dir;

  private EtcdProcess etcd;
  private EtcdServiceRegistry writer;

  @BeforeEach
  void start() {
    etcd = EtcdProcess.startSingle(dir);
    writer = registry();
  }

  @AfterEach
  void stop() {
    writer.close();
    etcd.stop();
  }

  @Test
  void aProcessThatNeverAsksForAServiceReceivesNoneOfItsChanges() throws Exception {
    try (EtcdServiceRegistry caller = registry();
         EtcdServiceRegistry everything = EtcdServiceRegistry.builder().endpoints(etcd.clientUrl())
             .watchAllServices(true).build()) {
      BlockingQueue<List<ServiceInstance>> orders = new LinkedBlockingQueue<>();
      try (Subscription ignored = caller.watch("orders", orders::add)) {
        assertThat(orders.poll(10, TimeUnit.SECONDS)).isEmpty();
        // 40 changes of a service the caller never asks for, 3 of the one it watches.
        for (int i = 0; i < 20; i++) {
          writer.register(instance("users", i)).get(10, TimeUnit.SECONDS);
          writer.deregister("users", id(i)).get(10, TimeUnit.SECONDS);
        }
        writer.register(instance("orders", 1)).get(10, TimeUnit.SECONDS);
        writer.register(instance("orders", 2)).get(10, TimeUnit.SECONDS);
        writer.deregister("orders", id(1)).get(10, TimeUnit.SECONDS);
        Await.until(BOUND, () -> caller.instances("orders").equals(List.of(instance("orders", 2))),
            () -> "orders not seen: " + caller.instances("orders"));
        Await.until(BOUND, () -> everything.receivedChanges() >= 43,
            () -> "the whole-prefix registry received " + everything.receivedChanges());
      }
      assertThat(caller.receivedChanges()).as("changes received by the caller").isEqualTo(3);
      assertThat(caller.watchedServices()).containsExactly("orders");
      assertThat(everything.receivedChanges()).as("changes received when watching everything").isEqualTo(43);
      System.out.println("MEASURED: a registry watching orders received " + caller.receivedChanges()
          + " changes; one watching everything received " + everything.receivedChanges());
    }
  }

  @Test
  void theFirstDiscoverOfAServiceAnswersFromARead() throws Exception {
    writer.register(instance("stock", 1)).get(10, TimeUnit.SECONDS);
    writer.register(instance("stock", 2).withHealth(HealthStatus.UNHEALTHY))
        .get(10, TimeUnit.SECONDS);
    try (EtcdServiceRegistry fresh = registry()) {
      assertThat(fresh.watchedServices()).isEmpty();
      // No wait: the very first answer is what etcd holds, not an empty list.
      assertThat(fresh.discover("stock")).containsExactly(instance("stock", 1));
      assertThat(fresh.watchedServices()).containsExactly("stock");
      try (EtcdServiceRegistry other = registry()) {
        BlockingQueue<List<ServiceInstance>> seen = new LinkedBlockingQueue<>();
        try (Subscription ignored = other.watch("stock", seen::add)) {
          assertThat(seen.poll(10, TimeUnit.SECONDS)).as("the first notification")
              .containsExactlyInAnyOrder(instance("stock", 1), instance("stock", 2)
                  .withHealth(HealthStatus.UNHEALTHY));
        }
      }
    }
  }

  @Test
  void theFirstDiscoverWithEtcdDownFailsRatherThanAnswerEmpty() throws Exception {
    writer.register(instance("stock", 1)).get(10, TimeUnit.SECONDS);
    try (EtcdServiceRegistry caller = registry()) {
      assertThat(caller.discover("stock")).hasSize(1); // watched from now on
      etcd.stop();
      assertThat(caller.discover("stock")).as("a watched service, from memory").hasSize(1);
      assertThatThrownBy(() -> caller.discover("billing"))
          .isInstanceOf(EtcdUnavailableException.class)
          .hasMessageStartingWith("billing: etcd unreachable at [" + etcd.clientUrl() + "]: cannot read billing")
          .hasMessageContaining("connection refused to 127.0.0.1:");
      etcd.start();
      etcd.awaitHealthy(BOUND);
      Await.until(Duration.ofSeconds(30), () -> {
        try {
          return caller.discover("billing").isEmpty();
        } catch (EtcdUnavailableException notYet) {
          return false;
        }
      }, "billing readable once etcd is back");
    }
  }

  @Test
  void allWatchesOfARegistryShareOneStreamAndNoThreadEach() throws Exception {
    try (EtcdServiceRegistry caller = registry()) {
      Await.until(BOUND, () -> EtcdMetrics.streams(etcd.clientUrl()) == 2, "two registries' streams");
      int watchersBefore = EtcdMetrics.watchers(etcd.clientUrl());
      long threadsBefore = registryThreads();
      List<Subscription> subscriptions = new ArrayList<>();
      for (String service : List.of("a", "b", "c", "d", "e")) {
        subscriptions.add(caller.watch(service, list -> { }));
      }
      Await.until(BOUND, () -> EtcdMetrics.watchers(etcd.clientUrl()) == watchersBefore + 5,
          () -> "watchers: " + EtcdMetrics.watchers(etcd.clientUrl()) + ", before " + watchersBefore);
      assertThat(EtcdMetrics.streams(etcd.clientUrl())).as("watch streams, one per registry").isEqualTo(2);
      assertThat(caller.watchCount()).as("the index and five services").isEqualTo(6);
      assertThat(registryThreads()).as("registry threads").isEqualTo(threadsBefore);
      subscriptions.forEach(Subscription::cancel);
    }
  }

  @Test
  void aWatchedServiceThatAppearsInAnotherNamespaceIsFollowedThere() throws Exception {
    try (EtcdServiceRegistry caller = registry()) {
      BlockingQueue<List<ServiceInstance>> seen = new LinkedBlockingQueue<>();
      try (Subscription ignored = caller.watch("ledger", seen::add)) {
        assertThat(seen.poll(10, TimeUnit.SECONDS)).isEmpty();
        ServiceInstance elsewhere = ServiceInstance.builder("ledger", "10.0.0.8:7000").namespace("finance")
            .host("10.0.0.8").port(7000).build();
        writer.register(elsewhere).get(10, TimeUnit.SECONDS);
        Await.until(BOUND, () -> caller.instances("ledger").equals(List.of(elsewhere)),
            () -> "instance in the new namespace not seen: " + caller.instances("ledger"));
        assertThat(caller.watchCount()).as("the index, ledger in default and in finance").isEqualTo(3);
      }
    }
  }

  private static long registryThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(thread -> thread.getName().startsWith("meshwork-etcd")).count();
  }

  private EtcdServiceRegistry registry() {
    return EtcdServiceRegistry.builder().endpoints(etcd.clientUrl()).requestTimeout(Duration.ofSeconds(2)).build();
  }

  private static ServiceInstance instance(String service, int i) {
    return ServiceInstance.builder(service, id(i)).host("10.0.0." + i).port(8000 + i).build();
  }

  private static String id(int i) {
    return "10.0.0." + i + ":" + (8000 + i);
  }
}
