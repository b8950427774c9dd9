package io.meshwork.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SoakSectionTest {

  private static final String MACHINE = "2 cores, load average 3.1 2.9 2.5 (1, 5, 15 min) at the end";

  @Test
  void aDocumentWithoutTheSectionGetsItAppended() {
    String doc = "# Reliability\n\n## Leaks\n\nText.\n";
    String updated = SoakSection.update(doc, SoakOutcomeTest.outcome(Map.of(), 0, 0, 0, 10, 4), MACHINE);
    assertThat(updated).startsWith(doc + "\n## Soak\n\n").contains(SoakSection.BEGIN).endsWith(SoakSection.END + "\n");
    assertThat(updated).contains("| date | 2026-12-01T00:00:00Z |", "| commit | `abc1234` |",
        "| duration | 10.0 min of load |", "| rate | 800 calls/s open loop (80% of the 1,000 calls/s measured closed-loop) |",
        "| calls | 480,000 |", "| errors | 0 |", "| leak reports | 0 in the client, 0 in the servers |",
        "| machine | " + MACHINE + " |", "| failed attempts (retried) | 7 {ConnectFailedException=7} |",
        "slope 0 bytes/min (flat: < 1,048,576)", "| verdict | **pass** |");
  }

  @Test
  void aLaterSoakReplacesOnlyTheTable() {
    String doc = "# Reliability\n\n## Soak\n\nHow to run it.\n\n" + SoakSection.BEGIN + "\nold table\n"
        + SoakSection.END + "\n\nWhat the figures mean.\n\n## Attacks\n";
    String updated = SoakSection.update(doc,
        SoakOutcomeTest.outcome(Map.of("ConnectFailedException", 2L), 0, 0, 0, 10, 4), MACHINE);
    assertThat(updated).doesNotContain("old table")
        .startsWith("# Reliability\n\n## Soak\n\nHow to run it.\n\n" + SoakSection.BEGIN + "\n| |")
        .endsWith(SoakSection.END + "\n\nWhat the figures mean.\n\n## Attacks\n")
        .contains("| errors | 2 {ConnectFailedException=2} |",
            "| verdict | **fail**: errors: 2 {ConnectFailedException=2} (expected: 0) |");
    String again = SoakSection.update(updated, SoakOutcomeTest.outcome(Map.of(), 0, 0, 0, 10, 4), MACHINE);
    assertThat(again.split(SoakSection.BEGIN, -1)).hasSize(2);
    assertThat(again).contains("| verdict | **pass** |").doesNotContain("| errors | 2");
  }
}
