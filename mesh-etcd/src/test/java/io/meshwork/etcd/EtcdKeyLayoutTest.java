package io.meshwork.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshwork.registry.HealthStatus;
import io.meshwork.registry.ServiceInstance;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a person sees with the real {@code etcdctl get --prefix /meshwork/}: one key per instance,
 * {@code /meshwork/services/<namespace>/<service>/<id>}, holding a readable JSON document, and one
 * empty marker per service and namespace other than {@code default} that tells watchers where a
 * service lives; and the other way round, what they write by hand is discovered, and what is not an
 * instance is skipped.
 */
class EtcdKeyLayoutTest {

  private static final Duration BOUND = Duration.ofSeconds(10);

  @TempDir
  Path dir;

  private EtcdProcess etcd;
  private EtcdServiceRegistry registry;

  @BeforeEach
  void start() {
    etcd = EtcdProcess.startSingle(dir);
    registry = EtcdServiceRegistry.builder().endpoints(etcd.clientUrl())
        .clock(Clock.fixed(Instant.parse("2025-01-31T10:15:30Z"), ZoneOffset.UTC)).build();
  }

  @AfterEach
  void stop() {
    registry.close();
    etcd.stop();
  }

  @Test
  void etcdctlShowsOneKeyPerInstanceWithAReadableJsonDocument() throws Exception {
    registry.register(ServiceInstance.builder("user-service", "127.0.0.1:8080").host("127.0.0.1")
        .port(8080).labels(Map.of("version", "v2")).build()).get(10, TimeUnit.SECONDS);
    registry.register(ServiceInstance.builder("billing", "10.0.0.7:9000").namespace("payments")
        .host("10.0.0.7").port(9000).weight(3).health(HealthStatus.UNHEALTHY).build())
        .get(10, TimeUnit.SECONDS);

    String output = Etcdctl.run(etcd.clientUrl(), "get", "--prefix", "/meshwork/");

    List<String> lines = output.lines().toList();
    assertThat(lines).containsExactly(
        "/meshwork/services/.namespaces/billing/payments",
        "",
        "/meshwork/services/default/user-service/127.0.0.1:8080",
        "{\"service\":\"user-service\",\"id\":\"127.0.0.1:8080\",\"namespace\":\"default\","
            + "\"host\":\"127.0.0.1\",\"port\":8080,\"weight\":1,\"labels\":{\"version\":\"v2\"},"
            + "\"health\":\"HEALTHY\",\"registeredAt\":\"2025-01-31T10:15:30Z\"}",
        "/meshwork/services/payments/billing/10.0.0.7:9000",
        "{\"service\":\"billing\",\"id\":\"10.0.0.7:9000\",\"namespace\":\"payments\","
            + "\"host\":\"10.0.0.7\",\"port\":9000,\"weight\":3,\"labels\":{},"
            + "\"health\":\"UNHEALTHY\",\"registeredAt\":\"2025-01-31T10:15:30Z\"}");
    JsonNode lease = new ObjectMapper().readTree(Etcdctl.run(etcd.clientUrl(), "get", "-w", "json",
        "/meshwork/services/default/user-service/127.0.0.1:8080")).get("kvs").get(0).get("lease");
    assertThat(lease.asLong()).as("the key is attached to the registry's lease")
        .isEqualTo(registry.leaseId());
  }

  @Test
  void anInstanceWrittenByHandIsDiscoveredAndGarbageIsSkipped() {
    Etcdctl.run(etcd.clientUrl(), "put", "/meshwork/services/default/legacy/host-1",
        "{\"host\":\"192.168.1.10\",\"port\":7000}");
    Etcdctl.run(etcd.clientUrl(), "put", "/meshwork/services/default/legacy/host-2", "not json");
    Etcdctl.run(etcd.clientUrl(), "put", "/meshwork/services/too/many/parts/here", "{}");

    ServiceInstance expected = ServiceInstance.builder("legacy", "host-1").host("192.168.1.10")
        .port(7000).build();
    Await.until(BOUND, () -> registry.discover("legacy").equals(List.of(expected)),
        () -> "hand-written instance not discovered: " + registry.instances("legacy"));

    // A valid instance whose value becomes garbage is dropped rather than kept stale.
    Etcdctl.run(etcd.clientUrl(), "put", "/meshwork/services/default/legacy/host-1", "{\"port\":\"x\"}");
    Await.until(BOUND, () -> registry.instances("legacy").isEmpty(),
        () -> "instance with a broken value still listed: " + registry.instances("legacy"));
  }
}
