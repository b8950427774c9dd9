package io.meshwork.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.registry.ServiceInstance;
import io.meshwork.registry.Subscription;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * All of etcd stops: discovery keeps answering from the last known instances, writes fail with a
 * clear exception in bounded time; etcd starts again: the registry catches up with what changed,
 * registers its own instances again under a new lease, and takes new registrations.
 */
class EtcdOutageTest {

  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(1);
  private static final Duration RECOVERY = Duration.ofSeconds(30);

  @TempDir
  Path dir;

  private EtcdProcess etcd;
  private EtcdServiceRegistry registry;

  @BeforeEach
  void start() {
    etcd = EtcdProcess.startSingle(dir);
    registry = EtcdServiceRegistry.builder().endpoints(etcd.clientUrl()).leaseTtl(Duration.ofSeconds(2))
        .requestTimeout(REQUEST_TIMEOUT).build();
  }

  @AfterEach
  void stop() {
    registry.close();
    etcd.stop();
  }

  @Test
  void servesFromTheCacheWhileEtcdIsDownAndResynchronisesWhenItIsBack() throws Exception {
    ServiceInstance own = instance("127.0.0.1:9300", 9300);
    ServiceInstance leaving = instance("127.0.0.1:9309", 9309);
    registry.register(own).get(10, TimeUnit.SECONDS);
    registry.register(leaving).get(10, TimeUnit.SECONDS);
    List<List<ServiceInstance>> notified = new CopyOnWriteArrayList<>();
    try (Subscription ignored = registry.watch("catalog", notified::add)) {
      long lease = registry.leaseId();
      etcd.stop();

      // Reads answer from the cache, at once and unchanged.
      assertThat(registry.discover("catalog")).containsExactly(own, leaving);
      assertThat(registry.instances("catalog")).containsExactly(own, leaving);

      // Writes fail with a clear exception, in bounded time.
      long before = System.nanoTime();
      assertThatThrownBy(() -> registry.register(instance("127.0.0.1:9301", 9301)).get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class).cause().isInstanceOf(EtcdUnavailableException.class)
          .hasMessageStartingWith("catalog: etcd unreachable at [" + etcd.clientUrl()
              + "]: register catalog/127.0.0.1:9301");
      Duration failedAfter = Duration.ofNanos(System.nanoTime() - before);
      System.out.println("MEASURED: register failed " + failedAfter.toMillis() + " ms after it was"
          + " called with etcd down (request timeout " + REQUEST_TIMEOUT.toMillis() + " ms)");
      assertThat(failedAfter).isLessThan(REQUEST_TIMEOUT.plusMillis(500));
      // A deregister fails too, but is carried out: the instance is not registered again below.
      assertThatThrownBy(() -> registry.deregister("catalog", leaving.id()).get(10, TimeUnit.SECONDS))
          .cause().isInstanceOf(EtcdUnavailableException.class)
          .hasMessageEndingWith("it is retried in the background until etcd answers");

      // The lease expires while etcd is away: the registry notices (jetcd hears no keep-alive answer).
      Await.until(Duration.ofSeconds(10), () -> registry.leaseId() == 0, "lease loss noticed");
      assertThat(registry.discover("catalog")).containsExactly(own, leaving);

      etcd.start(); // same data directory and ports
      etcd.awaitHealthy(Duration.ofSeconds(10));
      long restartedAt = System.nanoTime();
      // A change made by someone else while this registry is still reconnecting.
      Etcdctl.run(etcd.clientUrl(), "put", "/meshwork/services/default/catalog/10.0.0.9:9302",
          "{\"host\":\"10.0.0.9\",\"port\":9302}");
      ServiceInstance written = ServiceInstance.builder("catalog", "10.0.0.9:9302").host("10.0.0.9")
          .port(9302).build();

      Await.until(RECOVERY, () -> registry.instances("catalog").contains(written),
          () -> "change made during the reconnect not seen: " + registry.instances("catalog"));
      System.out.println("MEASURED: registry saw a change " + millisSince(restartedAt)
          + " ms after etcd restarted");
      Await.until(RECOVERY, () -> registry.leaseId() != 0 && keys().contains("catalog/127.0.0.1:9300"),
          () -> "own instance not registered again: " + keys());
      System.out.println("MEASURED: own instance registered again under a new lease "
          + millisSince(restartedAt) + " ms after etcd restarted");
      assertThat(registry.leaseId()).isNotEqualTo(lease);

      ServiceInstance fresh = instance("127.0.0.1:9303", 9303);
      registry.register(fresh).get(10, TimeUnit.SECONDS);
      assertThat(registry.instances("catalog")).contains(own, written, fresh);

      // The old lease, restored by etcd's restart, expires without taking the instance with it.
      Await.until(RECOVERY, () -> Etcdctl.run(etcd.clientUrl(), "lease", "timetolive",
          Long.toHexString(lease)).contains("already expired"), "old lease expired");
      assertThat(keys()).contains("catalog/127.0.0.1:9300").doesNotContain("catalog/127.0.0.1:9309");
      Await.until(RECOVERY, () -> !registry.instances("catalog").contains(leaving), "deregistered one gone");
      assertThat(registry.discover("catalog")).containsExactlyInAnyOrder(own, written, fresh);
    }
    assertThat(notified.get(0)).containsExactly(own, leaving);
  }

  private static ServiceInstance instance(String id, int port) {
    return ServiceInstance.builder("catalog", id).host("127.0.0.1").port(port).build();
  }

  private String keys() {
    return Etcdctl.run(etcd.clientUrl(), "get", "--prefix", "--keys-only", "/meshwork/services/");
  }

  private static long millisSince(long start) {
    return Duration.ofNanos(System.nanoTime() - start).toMillis();
  }
}
