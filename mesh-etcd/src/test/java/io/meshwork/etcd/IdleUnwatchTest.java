package io.meshwork.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.registry.ServiceInstance;
import io.meshwork.registry.Subscription;
import io.meshwork.time.FakeTicker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A service whose last listener is gone and that nobody read for the idle time stops being watched:
 * etcd drops its watch and the registry forgets its instances; one with a listener never does; the
 * next use reads it again, changes made meanwhile included. Time is a fake ticker.
 */
class IdleUnwatchTest {

  private static final Duration IDLE = Duration.ofMinutes(1);
  private static final Duration BOUND = Duration.ofSeconds(10);

  @TempDir
  Path dir;

  private final FakeTicker ticker = new FakeTicker();
  private EtcdProcess etcd;
  private EtcdServiceRegistry writer;
  private EtcdServiceRegistry registry;

  @BeforeEach
  void start() {
    etcd = EtcdProcess.startSingle(dir);
    writer = EtcdServiceRegistry.builder().endpoints(etcd.clientUrl()).build();
    registry = EtcdServiceRegistry.builder().endpoints(etcd.clientUrl()).unwatchAfterIdle(IDLE).ticker(ticker).build();
  }

  @AfterEach
  void stop() {
    registry.close();
    writer.close();
    etcd.stop();
  }

  @Test
  void aServiceNobodyListensToOrReadsIsUnwatchedAfterTheIdleTime() throws Exception {
    writer.register(instance("menu", 1)).get(10, TimeUnit.SECONDS);
    Subscription menu = registry.watch("menu", list -> { });
    assertThat(registry.discover("prices")).isEmpty();
    try (Subscription kept = registry.watch("kitchen", list -> { })) {
      // etcd counts a watch once its stream reached it, which can follow watch() and discover().
      Await.until(BOUND, () -> EtcdMetrics.watchers(etcd.clientUrl()) >= registry.watchCount(),
          () -> "etcd holds " + EtcdMetrics.watchers(etcd.clientUrl()) + " watchers, the registry made "
              + registry.watchCount());
      int watchers = EtcdMetrics.watchers(etcd.clientUrl());
      menu.cancel(); // the idle time of menu starts now; prices' started at its discover

      ticker.advance(IDLE.minusSeconds(1));
      registry.discover("prices"); // a read: prices' idle time starts again
      ticker.advance(Duration.ofSeconds(2));
      Await.until(BOUND, () -> !registry.watchedServices().contains("menu"), "menu unwatched");
      assertThat(registry.watchedServices()).containsExactlyInAnyOrder("prices", "kitchen");

      ticker.advance(IDLE);
      Await.until(BOUND, () -> registry.watchedServices().equals(java.util.Set.of("kitchen")),
          () -> "watched: " + registry.watchedServices());
      Await.until(BOUND, () -> EtcdMetrics.watchers(etcd.clientUrl()) == watchers - 2,
          () -> "etcd still holds " + EtcdMetrics.watchers(etcd.clientUrl()) + " watchers, expected "
              + (watchers - 2));
      assertThat(registry.watchCount()).as("the index and kitchen").isEqualTo(2);

      ticker.advance(IDLE.multipliedBy(10));
      assertThat(registry.watchedServices()).as("a service with a listener stays watched").contains("kitchen");
    }

    // Changed while nobody watched it here: the next use reads it again.
    writer.register(instance("menu", 2)).get(10, TimeUnit.SECONDS);
    assertThat(registry.instances("menu")).containsExactly(instance("menu", 1), instance("menu", 2));
    assertThat(registry.watchedServices()).contains("menu");
  }

  @Test
  void zeroKeepsEveryServiceWatched() throws Exception {
    try (EtcdServiceRegistry keeping = EtcdServiceRegistry.builder().endpoints(etcd.clientUrl())
        .unwatchAfterIdle(Duration.ZERO).ticker(ticker).build()) {
      keeping.watch("menu", list -> { }).cancel();
      keeping.discover("prices");
      ticker.advance(Duration.ofDays(2));
      // Nothing to wait for: a sweep never runs. The watches are still there for changes to come.
      writer.register(instance("menu", 1)).get(10, TimeUnit.SECONDS);
      Await.until(BOUND, () -> keeping.receivedChanges() == 1, "the change of menu received");
      assertThat(keeping.watchedServices()).containsExactlyInAnyOrder("menu", "prices");
    }
  }

  private static ServiceInstance instance(String service, int i) {
    return ServiceInstance.builder(service, "10.0.0." + i + ":80").host("10.0.0." + i).port(80).build();
  }
}
