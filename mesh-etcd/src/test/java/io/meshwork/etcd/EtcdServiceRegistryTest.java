package io.meshwork.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.registry.HealthStatus;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.registry.ServiceRegistry;
import io.meshwork.registry.ServiceRegistryContract;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry contract every {@link ServiceRegistry} passes, against a real etcd; and what only a
 * shared registry shows: two registry objects see each other's instances, in every namespace.
 */
class EtcdServiceRegistryTest extends ServiceRegistryContract {

  @TempDir
  static Path dir;

  private static EtcdProcess etcd;

  @BeforeAll
  static void startEtcd() {
    etcd = EtcdProcess.startSingle(dir);
  }

  @AfterAll
  static void stopEtcd() {
    etcd.stop();
  }

  @Override
  protected ServiceRegistry newRegistry() {
    return newEtcdRegistry();
  }

  private static EtcdServiceRegistry newEtcdRegistry() {
    return EtcdServiceRegistry.builder().endpoints(etcd.clientUrl())
        .requestTimeout(Duration.ofSeconds(2)).build();
  }

  @Test
  void aRegistryReadsItsOwnWritesAsSoonAsTheyComplete() throws Exception {
    for (int i = 0; i < 20; i++) {
      ServiceInstance instance = instance("own-" + i, 8000 + i);
      registry.register(instance).get(10, TimeUnit.SECONDS);
      assertThat(registry.instances(service)).contains(instance);
      registry.deregister(service, instance.id()).get(10, TimeUnit.SECONDS);
      assertThat(registry.instances(service)).doesNotContain(instance);
    }
  }

  @Test
  void aHealthWrittenByAnotherRegistryKeepsTheOwnersLease() throws Exception {
    ServiceInstance a = instance("a", 8001);
    try (EtcdServiceRegistry checker = newEtcdRegistry()) {
      registry.register(a).get(10, TimeUnit.SECONDS);
      awaitTrue(() -> checker.instances(service).equals(List.of(a)));
      checker.updateHealth(service, "a", HealthStatus.UNHEALTHY).get(10, TimeUnit.SECONDS);
      awaitTrue(() -> registry.discover(service).isEmpty()
          && registry.instances(service).equals(List.of(a.withHealth(HealthStatus.UNHEALTHY))));
    }
    // The checker is gone and its lease with it; the instance, still the owner's, is not.
    assertThat(registry.instances(service)).containsExactly(a.withHealth(HealthStatus.UNHEALTHY));
    try (EtcdServiceRegistry observer = newEtcdRegistry()) {
      registry.close();
      awaitTrue(() -> observer.instances(service).isEmpty());
      registry = newEtcdRegistry();
    }
  }

  @Test
  void anotherRegistrySeesTheInstancesAndTheirDeregistration() throws Exception {
    try (EtcdServiceRegistry other = newEtcdRegistry()) {
      ServiceInstance a = instance("a", 8001);
      registry.register(a).get(10, TimeUnit.SECONDS);
      awaitTrue(() -> other.discover(service).equals(List.of(a)));
      other.deregister(service, "a").get(10, TimeUnit.SECONDS); // a key it did not register itself
      awaitTrue(() -> registry.instances(service).isEmpty());
    }
  }

  @Test
  void registriesUnderAnotherPrefixDoNotSeeEachOther() throws Exception {
    try (EtcdServiceRegistry staging = EtcdServiceRegistry.builder().endpoints(etcd.clientUrl())
        .keyPrefix("/staging/meshwork/").build()) {
      ServiceInstance a = instance("a", 8001);
      staging.register(a).get(10, TimeUnit.SECONDS);
      assertThat(staging.instances(service)).containsExactly(a);
      assertThat(Etcdctl.run(etcd.clientUrl(), "get", "--keys-only", "--prefix", "/staging/"))
          .contains("/staging/meshwork/default/" + service + "/a");
      registry.register(instance("b", 8002)).get(10, TimeUnit.SECONDS);
      assertThat(staging.instances(service)).containsExactly(a);
      assertThat(registry.instances(service)).extracting(ServiceInstance::id).containsExactly("b");
    }
  }

  @Test
  void serviceNamesAreGlobalAcrossNamespaces() throws Exception {
    ServiceInstance inDefault = instance("a", 8001);
    ServiceInstance inPayments = ServiceInstance.builder(service, "b").namespace("payments")
        .host("127.0.0.1").port(8002).build();
    registry.register(inDefault).get(10, TimeUnit.SECONDS);
    registry.register(inPayments).get(10, TimeUnit.SECONDS);
    awaitTrue(() -> registry.instances(service).size() == 2);
    assertThat(registry.discover(service)).containsExactlyInAnyOrder(inDefault, inPayments);
  }

  @Test
  void registeringAnIdInAnotherNamespaceMovesIt() throws Exception {
    registry.register(instance("a", 8001)).get(10, TimeUnit.SECONDS);
    ServiceInstance moved = ServiceInstance.builder(service, "a").namespace("payments")
        .host("127.0.0.1").port(8001).build();
    registry.register(moved).get(10, TimeUnit.SECONDS);
    awaitTrue(() -> registry.instances(service).equals(List.of(moved)));
    assertThat(Etcdctl.run(etcd.clientUrl(), "get", "--prefix", "--keys-only",
        EtcdServiceRegistry.DEFAULT_KEY_PREFIX + "default/" + service + "/")).isBlank();
  }

  @Test
  void closingRevokesTheLeaseSoItsInstancesVanishAtOnce() throws Exception {
    try (EtcdServiceRegistry watcher = newEtcdRegistry()) {
      EtcdServiceRegistry owner = newEtcdRegistry();
      owner.register(instance("a", 8001)).get(10, TimeUnit.SECONDS);
      awaitTrue(() -> watcher.instances(service).size() == 1);
      long start = System.nanoTime();
      owner.close();
      awaitTrue(() -> watcher.instances(service).isEmpty());
      // far below the 10 s TTL: the lease was revoked, not left to expire
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }
  }
}
