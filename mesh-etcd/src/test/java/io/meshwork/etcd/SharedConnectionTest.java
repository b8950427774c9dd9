package io.meshwork.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.InvalidConfigurationException;
import io.meshwork.MeshClosedException;
import io.meshwork.registry.ServiceInstance;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Registries that share one connection keep their own leases, watches and instances; the connection
 * outlives the registry it came from and closes with the last one (etcd then counts no stream).
 */
class SharedConnectionTest {

  @TempDir
  Path dir;

  private EtcdProcess etcd;

  @BeforeEach
  void start() {
    etcd = EtcdProcess.startSingle(dir);
  }

  @AfterEach
  void stop() {
    etcd.stop();
  }

  @Test
  void registriesOnOneConnectionStayApartAndTheLastOneClosesIt() throws Exception {
    EtcdServiceRegistry first = EtcdServiceRegistry.builder().endpoints(etcd.clientUrl()).build();
    EtcdServiceRegistry second = EtcdServiceRegistry.builder().sharingConnectionWith(first).build();
    assertThat(second.endpoints()).isEqualTo(first.endpoints());
    ServiceInstance a = ServiceInstance.builder("shared", "a").host("10.0.0.1").port(1).build();
    ServiceInstance b = ServiceInstance.builder("shared", "b").host("10.0.0.2").port(2).build();
    first.register(a).get(10, TimeUnit.SECONDS);
    second.register(b).get(10, TimeUnit.SECONDS);
    assertThat(second.leaseId()).as("a lease each").isNotEqualTo(first.leaseId());
    assertThat(EtcdMetrics.streams(etcd.clientUrl())).as("a watch stream each").isEqualTo(2);

    first.close(); // its lease is revoked: a goes; the connection stays for second
    Await.until(Duration.ofSeconds(10), () -> second.instances("shared").equals(List.of(b)),
        () -> "after the first registry closed: " + second.instances("shared"));
    assertThatThrownBy(() -> EtcdServiceRegistry.builder().sharingConnectionWith(first).build())
        .isInstanceOf(MeshClosedException.class).hasMessageContaining("is closed (expected: an open registry)");

    second.close();
    Await.until(Duration.ofSeconds(10), () -> EtcdMetrics.streams(etcd.clientUrl()) == 0,
        "no watch stream left once the last registry closed");
  }

  @Test
  void aSharedConnectionCannotBeGivenItsOwnEndpoints() {
    try (EtcdServiceRegistry first = EtcdServiceRegistry.builder().endpoints(etcd.clientUrl()).build()) {
      assertThatThrownBy(() -> EtcdServiceRegistry.builder().sharingConnectionWith(first)
          .endpoints("http://127.0.0.1:1").build())
          .isInstanceOf(InvalidConfigurationException.class)
          .hasMessageContaining("sharingConnectionWith: ").hasMessageContaining("set together with endpoints");
    }
  }
}
