package io.meshwork.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.InvalidConfigurationException;
import io.meshwork.policy.ServicePolicy;
import io.meshwork.security.MtlsMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What every source shares (ConfigFeed), through the in-memory source: valid documents are handed on
 * once, bad ones rejected with their errors while the config in force stays, and callbacks that throw
 * do not stop the source.
 */
class InMemoryConfigSourceTest {

  private final List<MeshConfig> applied = new ArrayList<>();
  private final List<InvalidConfigException> rejected = new ArrayList<>();

  @Test
  void handsOnEachNewConfigOnceAndRejectsBadDocumentsKeepingTheConfigInForce() {
    try (InMemoryConfigSource source = new InMemoryConfigSource()) {
      source.start(applied::add, rejected::add);
      assertThat(source.publishYaml("mtls: STRICT")).isTrue();
      assertThat(source.publishYaml("mtls: STRICT\n# the same config, another text\n")).isTrue();
      assertThat(applied).containsExactly(MeshConfig.builder().mtls(MtlsMode.STRICT).build());

      assertThat(source.publishYaml("mtls: SOMETIMES\nservices: {a: {timeout: x}}")).isFalse();
      assertThat(rejected).hasSize(1);
      assertThat(rejected.get(0).errors()).extracting(ConfigError::path).containsExactly("mtls", "services.a.timeout");
      assertThat(rejected.get(0).source()).isEqualTo("in-memory config");
      assertThat(applied).hasSize(1);

      MeshConfig next = MeshConfig.builder().service("a", ServicePolicy.builder().timeout(Duration.ofSeconds(1))
          .build()).build();
      assertThat(source.publish(next)).isTrue();
      assertThat(applied).containsExactly(MeshConfig.builder().mtls(MtlsMode.STRICT).build(), next);
    }
  }

  @Test
  void aConfigTheConsumerRefusesIsARejectionAndTheSourceGoesOn() {
    try (InMemoryConfigSource source = new InMemoryConfigSource()) {
      source.start(config -> {
        if (config.mtls() == MtlsMode.DISABLED) {
          throw new InvalidConfigurationException(null, "mtls: DISABLED (expected: not in production)");
        }
        applied.add(config);
      }, rejected::add);
      assertThat(source.publishYaml("mtls: DISABLED")).isFalse();
      assertThat(rejected).singleElement().satisfies(e -> assertThat(e.errors()).singleElement()
          .hasToString("in-memory config: refused when applied: mtls: DISABLED (expected: not in production)"));
      assertThat(source.publishYaml("mtls: STRICT")).isTrue();
      assertThat(applied).extracting(MeshConfig::mtls).containsExactly(MtlsMode.STRICT);
    }
  }

  @Test
  void aRejectionListenerThatThrowsDoesNotStopTheSource() {
    try (InMemoryConfigSource source = new InMemoryConfigSource()) {
      source.start(applied::add, e -> {
        throw new IllegalStateException("listener bug");
      });
      assertThat(source.publishYaml("mtls: [")).isFalse();
      assertThat(source.publishYaml("mtls: PERMISSIVE")).isTrue();
      assertThat(applied).extracting(MeshConfig::mtls).containsExactly(MtlsMode.PERMISSIVE);
    }
  }

  @Test
  void aConfigPublishedBeforeTheStartIsDeliveredByIt() {
    InMemoryConfigSource source = new InMemoryConfigSource();
    source.publishYaml("mtls: STRICT");
    assertThatThrownBy(() -> source.publishYaml("mtls: x")).isInstanceOf(InvalidConfigException.class);
    source.start(applied::add, rejected::add);
    assertThat(applied).extracting(MeshConfig::mtls).containsExactly(MtlsMode.STRICT);
    assertThatThrownBy(() -> source.start(applied::add, rejected::add)).isInstanceOf(IllegalStateException.class)
        .hasMessage("in-memory config source: already started");
    source.close();
    assertThat(source.publishYaml("mtls: DISABLED")).isFalse();
    assertThat(applied).hasSize(1);
  }
}
