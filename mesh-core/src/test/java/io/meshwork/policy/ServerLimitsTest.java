package io.meshwork.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ServerLimitsTest {

  private static final long MIB = 1024 * 1024;

  @Test
  void defaultsBoundBodiesPerConnectionAndPerServerAndTheClock() {
    ServerLimits limits = ServerLimits.defaults();
    assertThat(limits.maxRequestBytes()).isEqualTo(10 * MIB);
    assertThat(limits.maxBodyBytesPerConnection()).isEqualTo(16 * MIB);
    assertThat(limits.maxBodyBytesInFlight()).isEqualTo(64 * MIB);
    assertThat(limits.requestHeadTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(limits.minBodyBytesPerSecond()).isEqualTo(1024);
    assertThat(limits.bodyRateGrace()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void budgetsNotSetFollowTheLargestBody() {
    ServerLimits big = ServerLimits.builder().maxRequestBytes(100 * 1024 * 1024).build();
    assertThat(big.maxBodyBytesPerConnection()).isEqualTo(100 * MIB);
    assertThat(big.maxBodyBytesInFlight()).isEqualTo(100 * MIB);
    assertThat(big.toBuilder().maxRequestBytes(1024).build().maxBodyBytesInFlight()).isEqualTo(64 * MIB);
    ServerLimits set = ServerLimits.builder().maxBodyBytesInFlight(200 * MIB).build();
    assertThat(set.toBuilder().maxRequestBytes(1024).build().maxBodyBytesInFlight()).as("set on its own: kept")
        .isEqualTo(200 * MIB);
  }

  @Test
  void badValuesAreRefusedNamingTheField() {
    assertThatThrownBy(() -> ServerLimits.builder().maxHeaderBytes(100))
        .hasMessage("maxHeaderBytes: 100 (expected: >= 1024)");
    assertThatThrownBy(() -> ServerLimits.builder().requestHeadTimeout(Duration.ZERO))
        .hasMessage("requestHeadTimeout: PT0S (expected: > 0)");
    assertThatThrownBy(() -> ServerLimits.builder().minBodyRate(-1, Duration.ZERO))
        .hasMessage("minBodyBytesPerSecond: -1 (expected: >= 0)");
    assertThatThrownBy(() -> ServerLimits.builder().maxBodyBytesPerConnection(1024).build())
        .hasMessage("maxBodyBytesPerConnection: 1024 (expected: >= maxRequestBytes 10485760)");
    assertThatThrownBy(() -> ServerLimits.builder().maxBodyBytesInFlight(12 * MIB).build())
        .hasMessage("maxBodyBytesInFlight: 12582912 (expected: >= maxBodyBytesPerConnection 16777216)");
  }
}
