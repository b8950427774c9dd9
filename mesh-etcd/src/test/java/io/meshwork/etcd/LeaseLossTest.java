package io.meshwork.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.registry.ServiceInstance;
import io.meshwork.registry.Subscription;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry whose lease is lost (revoked behind its back, or gone with etcd's data) notices it,
 * grants a new lease and registers its instances again, without anyone calling it.
 */
class LeaseLossTest {

  private static final Duration RECOVERY = Duration.ofSeconds(20);

  @TempDir
  Path dir;

  private EtcdProcess etcd;
  private EtcdServiceRegistry registry;
  private final ServiceInstance instance = ServiceInstance.builder("inventory", "127.0.0.1:9200")
      .host("127.0.0.1").port(9200).build();

  @BeforeEach
  void start() throws Exception {
    etcd = EtcdProcess.startSingle(dir);
    registry = EtcdServiceRegistry.builder().endpoints(etcd.clientUrl())
        .requestTimeout(Duration.ofSeconds(1)).build();
    registry.register(instance).get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() {
    registry.close();
    etcd.stop();
  }

  @Test
  void aLeaseRevokedWithEtcdctlIsReplacedAndTheInstanceComesBack() throws Exception {
    BlockingQueue<List<ServiceInstance>> seen = new LinkedBlockingQueue<>();
    long lease = registry.leaseId();
    try (Subscription ignored = registry.watch("inventory", seen::add)) {
      assertThat(seen.poll(10, TimeUnit.SECONDS)).containsExactly(instance);

      long revokedAt = System.nanoTime();
      Etcdctl.run(etcd.clientUrl(), "lease", "revoke", Long.toHexString(lease));

      assertThat(seen.poll(10, TimeUnit.SECONDS)).as("the revoke deleted the key").isEmpty();
      assertThat(seen.poll(RECOVERY.toSeconds(), TimeUnit.SECONDS)).as("registered again")
          .containsExactly(instance);
      System.out.println("MEASURED: instance back " + Duration.ofNanos(System.nanoTime() - revokedAt)
          .toMillis() + " ms after its lease was revoked");
    }
    assertThat(registry.leaseId()).isNotIn(0L, lease);
    assertThat(Etcdctl.run(etcd.clientUrl(), "get", "--keys-only", "--prefix", "/meshwork/services/"))
        .contains("/meshwork/services/default/inventory/127.0.0.1:9200");
  }

  @Test
  void afterEtcdLosesAllItsDataTheInstanceIsRegisteredAgain() throws Exception {
    long lease = registry.leaseId();
    etcd.stop();
    etcd.wipeData();
    long restartedAt = System.nanoTime();
    etcd.start(); // same ports, empty data: a new cluster that never heard of the lease
    etcd.awaitHealthy(Duration.ofSeconds(10));

    Await.until(RECOVERY, () -> Etcdctl.run(etcd.clientUrl(), "get", "--keys-only", "--prefix",
        "/meshwork/services/").contains("inventory/127.0.0.1:9200"), "instance put again in the new etcd");
    System.out.println("MEASURED: instance back in a wiped etcd " + Duration.ofNanos(System.nanoTime()
        - restartedAt).toMillis() + " ms after it restarted");
    assertThat(registry.leaseId()).isNotIn(0L, lease);
    assertThat(registry.discover("inventory")).containsExactly(instance);

    // The watch followed etcd to its new history: a change made now is seen.
    ServiceInstance second = ServiceInstance.builder("inventory", "127.0.0.1:9201").host("127.0.0.1")
        .port(9201).build();
    try (EtcdServiceRegistry other = EtcdServiceRegistry.builder().endpoints(etcd.clientUrl()).build()) {
      other.register(second).get(10, TimeUnit.SECONDS);
      Await.until(RECOVERY, () -> registry.instances("inventory").size() == 2,
          () -> "second instance not seen after the wipe: " + registry.instances("inventory"));
    }
  }
}
