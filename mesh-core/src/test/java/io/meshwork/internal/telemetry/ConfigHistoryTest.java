package io.meshwork.internal.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.config.ConfigChange;
import io.meshwork.time.FakeTicker;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bounded history of config changes the admin endpoint shows. */
class ConfigHistoryTest {

  private final FakeTicker ticker = new FakeTicker();

  @Test
  void keepsTheNewestEntriesAndCountsTheDroppedOnes() {
    ConfigHistory history = new ConfigHistory(ticker.clock(), 3);
    history.built("MeshBuilder");
    for (int i = 0; i < 4; i++) {
      ticker.advance(Duration.ofSeconds(1));
      history.applied("source " + i, new ConfigChange(List.of("s" + i), List.of(), List.of(), false, false, false,
          false, false));
    }
    ticker.advance(Duration.ofSeconds(1));
    history.rejected("file mesh.yaml", "timeout: -1s (expected: > 0)");
    assertThat(history.entries()).extracting(ConfigHistory.Entry::source)
        .containsExactly("source 2", "source 3", "file mesh.yaml");
    assertThat(history.entries().get(0).detail()).isEqualTo("services added [s2]");
    assertThat(history.entries().get(2).outcome()).isEqualTo(ConfigHistory.Outcome.REJECTED);
    assertThat(history.entries().get(2).at()).isEqualTo(ticker.clock().instant());
    assertThat(history.dropped()).isEqualTo(3);
    assertThat(history.json()).startsWith("[{\"at\":\"").contains("\"outcome\":\"rejected\"");
  }

  @Test
  void refusesARoomOfNothing() {
    assertThatThrownBy(() -> new ConfigHistory(ticker.clock(), 0)).hasMessage("limit: 0 (expected: >= 1)");
  }
}
