package io.meshwork.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.registry.HealthStatus;
import io.meshwork.registry.ServiceInstance;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The key layout and the JSON document of an instance, both ways. */
class InstanceCodecTest {

  private static final String PREFIX = "/meshwork/services/";

  @Test
  void keysRoundTripAndForeignKeysAreNotInstances() {
    InstanceKey key = new InstanceKey("default", "user-service", "127.0.0.1:8080");
    assertThat(key.format(PREFIX)).isEqualTo("/meshwork/services/default/user-service/127.0.0.1:8080");
    assertThat(InstanceKey.parse(PREFIX, key.format(PREFIX))).contains(key);
    assertThat(InstanceKey.parse(PREFIX, "/other/default/a/b")).isEmpty();
    assertThat(InstanceKey.parse(PREFIX, PREFIX + "default/a")).isEmpty();
    assertThat(InstanceKey.parse(PREFIX, PREFIX + "default/a/b/c")).isEmpty();
    assertThat(InstanceKey.parse(PREFIX, PREFIX + "-bad/a/b")).isEmpty();
    assertThat(InstanceKey.parse(PREFIX, PREFIX + "default/a/")).isEmpty();
  }

  @Test
  void documentsRoundTripEveryField() {
    ServiceInstance instance = ServiceInstance.builder("billing", "b-1").namespace("payments")
        .host("10.0.0.7").port(9000).weight(3).labels(Map.of("version", "v2", "zone", "eu"))
        .health(HealthStatus.UNKNOWN).build();
    byte[] json = InstanceJson.encode(instance, Instant.parse("2025-01-31T10:15:30.123Z"));
    assertThat(new String(json, StandardCharsets.UTF_8)).startsWith("{\"service\":\"billing\",\"id\":\"b-1\","
        + "\"namespace\":\"payments\",\"host\":\"10.0.0.7\",\"port\":9000,\"weight\":3,\"labels\":{")
        .endsWith("\"health\":\"UNKNOWN\",\"registeredAt\":\"2025-01-31T10:15:30.123Z\"}");
    assertThat(InstanceJson.decode(InstanceKey.of(instance), json)).isEqualTo(instance);
  }

  @Test
  void aMinimalDocumentGetsTheDefaultsAndAnUnknownHealthIsNotServed() {
    InstanceKey key = new InstanceKey("default", "legacy", "h1");
    assertThat(InstanceJson.decode(key, bytes("{\"host\":\"h\",\"port\":1,\"future\":true}")))
        .isEqualTo(ServiceInstance.builder("legacy", "h1").host("h").port(1).build());
    String draining = "{\"host\":\"h\",\"port\":1,\"health\":\"DRAINING\"}";
    assertThat(InstanceJson.decode(key, bytes(draining)).health())
        .isEqualTo(HealthStatus.UNKNOWN);
  }

  @Test
  void unusableDocumentsAreRejectedWithTheReason() {
    InstanceKey key = new InstanceKey("default", "legacy", "h1");
    assertThatThrownBy(() -> InstanceJson.decode(key, bytes("not json")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("not an instance document");
    assertThatThrownBy(() -> InstanceJson.decode(key, bytes("{\"host\":\"h\"}")))
        .hasMessage("host and port are required");
    assertThatThrownBy(() -> InstanceJson.decode(key, bytes("{\"host\":\"h\",\"port\":70000}")))
        .hasMessageStartingWith("port: 70000");
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
