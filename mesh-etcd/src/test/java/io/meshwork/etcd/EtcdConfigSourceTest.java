package io.meshwork.etcd;

import static io.meshwork.etcd.ConfigRecorder.BOUND;
import static io.meshwork.etcd.ConfigRecorder.RECOVERY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.InvalidConfigurationException;
import io.meshwork.config.ConfigError;
import io.meshwork.config.InvalidConfigException;
import io.meshwork.config.MeshConfig;
import io.meshwork.security.MtlsMode;
import io.meshwork.traffic.RouteDestination;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Config for a fleet through etcd, on a real etcd started by the test: three sources watch one key;
 * a write reaches all three; while etcd is away they keep their config and catch up on return; a
 * bad document is rejected by each, which keeps the config in force.
 */
class EtcdConfigSourceTest {

  private static final String KEY = "/meshwork/config/mesh.yaml";

  @TempDir
  Path dir;

  private EtcdProcess etcd;
  private final List<ConfigRecorder> fleet = new ArrayList<>();

  @BeforeEach
  void start() {
    etcd = EtcdProcess.startSingle(dir);
  }

  @AfterEach
  void stop() {
    fleet.forEach(member -> member.source().close());
    etcd.stop();
  }

  private ConfigRecorder join(String endpoint) {
    ConfigRecorder member = new ConfigRecorder(EtcdConfigSource.builder().endpoints(endpoint).key(KEY)
        .requestTimeout(Duration.ofSeconds(3)).retryBackoff(Duration.ofMillis(50), Duration.ofMillis(500)).build());
    fleet.add(member);
    return member.start();
  }

  private static String canary(int v2) {
    return """
        services:
          user-service:
            subsets: {v1: {version: v1}, v2: {version: v2}}
            routes:
              - name: canary
                route:
                  - destination: {service: user-service, subset: v1, weight: %d}
                  - destination: {service: user-service, subset: v2, weight: %d}
        mtls: STRICT
        """.formatted(100 - v2, v2);
  }

  private static int v2Weight(MeshConfig config) {
    return config.services().get("user-service").routes().get(0).destinations().stream()
        .filter(destination -> "v2".equals(destination.subset())).mapToInt(RouteDestination::weight).sum();
  }

  @Test
  void aWriteReachesThreeMeshesAndAnOutageOrABadDocumentLeavesEachWithItsConfig() throws Exception {
    Etcdctl.run(etcd.clientUrl(), "put", KEY, canary(10));
    TcpProxy cutOff = new TcpProxy(Integer.parseInt(etcd.clientUrl().replaceAll(".*:", "")));
    try {
      for (String endpoint : List.of(etcd.clientUrl(), etcd.clientUrl(), "http://127.0.0.1:" + cutOff.port())) {
        ConfigRecorder member = join(endpoint);
        assertThat(member.applied().poll()).as("the config is delivered before start returns")
            .extracting(EtcdConfigSourceTest::v2Weight).isEqualTo(10);
      }

      // One write reaches the three.
      long writing = System.nanoTime();
      Etcdctl.run(etcd.clientUrl(), "put", KEY, canary(20));
      for (ConfigRecorder member : fleet) {
        assertThat(v2Weight(member.next(BOUND))).isEqualTo(20);
      }
      long last = fleet.stream().mapToLong(member -> member.appliedAt().get()).max().orElseThrow();
      System.out.println("MEASURED: one write reached all three meshes "
          + TimeUnit.NANOSECONDS.toMillis(last - writing) + " ms after etcdctl put started");

      // A bad document: each mesh rejects it, naming the key, line and field, and keeps 80/20.
      Etcdctl.run(etcd.clientUrl(), "put", KEY, canary(20).replace("weight: 80", "weight: -80"));
      for (ConfigRecorder member : fleet) {
        InvalidConfigException rejection = member.nextRejection(BOUND);
        assertThat(rejection.errors()).containsExactly(new ConfigError(KEY, 7, 70,
            "services.user-service.routes[0].route[0].destination.weight",
            "route 'canary': -80 (expected: 0..1000000)"));
      }

      // One mesh loses etcd; a change made meanwhile reaches the others, and it when it is back.
      cutOff.cut();
      Etcdctl.run(etcd.clientUrl(), "put", KEY, canary(30));
      assertThat(v2Weight(fleet.get(0).next(BOUND))).isEqualTo(30);
      assertThat(v2Weight(fleet.get(1).next(BOUND))).isEqualTo(30);
      assertThat(fleet.get(2).applied()).as("cut off, it keeps 80/20").isEmpty();
      cutOff.restore();
      assertThat(v2Weight(fleet.get(2).next(RECOVERY))).as("caught up on return").isEqualTo(30);

      // etcd itself stops: every mesh keeps its config, and nothing is rejected.
      etcd.stop();
      for (ConfigRecorder member : fleet) {
        assertThat(member.applied()).isEmpty();
        assertThat(member.rejected()).isEmpty();
      }
      etcd.start();
      etcd.awaitHealthy(BOUND);
      Etcdctl.run(etcd.clientUrl(), "put", KEY, canary(50));
      for (ConfigRecorder member : fleet) {
        assertThat(v2Weight(member.next(RECOVERY))).as("%s after etcd came back", member.source()).isEqualTo(50);
        assertThat(member.rejected()).isEmpty();
      }
    } finally {
      cutOff.close();
    }
  }

  @Test
  void aDeletedKeyIsRejectedAndTheConfigInForceStays() throws Exception {
    ConfigRecorder member = join(etcd.clientUrl());
    assertThat(member.applied()).as("no key yet: nothing to apply").isEmpty();
    Etcdctl.run(etcd.clientUrl(), "put", KEY, "mtls: STRICT\n");
    assertThat(member.next(BOUND).mtls()).isEqualTo(MtlsMode.STRICT);
    Etcdctl.run(etcd.clientUrl(), "del", KEY);
    InvalidConfigException rejection = member.nextRejection(BOUND);
    assertThat(rejection.errors()).singleElement().hasToString("etcd key " + KEY
        + ": deleted (expected: a mesh.yaml document; the config in force stays)");
    Etcdctl.run(etcd.clientUrl(), "put", KEY, "mtls: PERMISSIVE\n");
    assertThat(member.next(BOUND).mtls()).isEqualTo(MtlsMode.PERMISSIVE);
  }

  @Test
  void thePrefixFormReadsEveryKeyUnderItAsOneConfig() throws Exception {
    Etcdctl.run(etcd.clientUrl(), "put", "/meshwork/config/fleet", "mtls: STRICT\n");
    Etcdctl.run(etcd.clientUrl(), "put", "/meshwork/config/users", "services: {user-service: {timeout: 2s}}\n");
    ConfigRecorder member = new ConfigRecorder(EtcdConfigSource.builder().endpoints(etcd.clientUrl())
        .prefix("/meshwork/config/").requestTimeout(Duration.ofSeconds(3)).build());
    fleet.add(member);
    member.start();
    BlockingQueue<MeshConfig> applied = member.applied();
    BlockingQueue<InvalidConfigException> rejected = member.rejected();
    MeshConfig first = applied.poll();
    assertThat(first).isNotNull();
    assertThat(first.mtls()).isEqualTo(MtlsMode.STRICT);
    assertThat(first.services()).containsOnlyKeys("user-service");

    Etcdctl.run(etcd.clientUrl(), "put", "/meshwork/config/orders", "services: {order-service: {timeout: 1s}}\n");
    assertThat(applied.poll(BOUND.toMillis(), TimeUnit.MILLISECONDS).services())
        .containsOnlyKeys("order-service", "user-service");

    Etcdctl.run(etcd.clientUrl(), "put", "/meshwork/config/rogue", "mtls: DISABLED\n");
    InvalidConfigException rejection = rejected.poll(BOUND.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(rejection).isNotNull();
    assertThat(rejection.errors()).extracting(ConfigError::toString).containsExactly(
        "/meshwork/config/rogue:1:1: mtls: 'mtls' is set twice (expected: once; first at line 1 of"
            + " /meshwork/config/fleet)");
  }

  @Test
  void badSettingsAreRefusedWhenGiven() throws Exception {
    assertThatThrownBy(() -> EtcdConfigSource.builder().key(""))
        .hasMessage("key: '' (expected: an etcd key such as /meshwork/config/mesh.yaml)");
    assertThatThrownBy(() -> EtcdConfigSource.builder().endpoints("ftp://127.0.0.1:2379"))
        .hasMessage("endpoints: 'ftp://127.0.0.1:2379' (expected: scheme http or https)");
    assertThatThrownBy(() -> EtcdConfigSource.builder().requestTimeout(Duration.ZERO))
        .hasMessage("requestTimeout: PT0S (expected: > 0 and <= 5 minutes)");
    Path ca = Files.writeString(dir.resolve("ca.pem"), "not read: http needs no CA");
    assertThatThrownBy(() -> EtcdConfigSource.builder().endpoints("http://127.0.0.1:2379").trustedCertificates(ca)
        .build())
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("endpoints: [http://127.0.0.1:2379] use http but TLS files are set");
  }
}
