package io.meshwork.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.policy.ServicePolicy;
import io.meshwork.resilience.RetryPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The catalogue's shared parts: the policy every row calls with (what a production service would
 * set: a deadline, a limit per attempt, the default retries, breakers and outlier detection) and the
 * table each row adds its line to. Every row writes its line to {@code target/fault-catalogue/}; the
 * table of every line there is written to {@code target/fault-catalogue.md} and between the markers
 * of {@code docs/reliability.md}, so that the committed page is the output of a run.
 */
public final class Catalogue {

  /** The deadline of every call. */
  static final Duration DEADLINE = Duration.ofSeconds(2);

  private static final Path ROWS = Path.of("target", "fault-catalogue");
  private static final Path TABLE = Path.of("target", "fault-catalogue.md");
  private static final Path DOC = Path.of("..", "docs", "reliability.md");
  private static final String BEGIN = "<!-- fault-catalogue:begin -->";
  private static final String END = "<!-- fault-catalogue:end -->";
  private static final String HEAD = """
      | fault | made | succeeded | failed (by type) | hung | recovered after | success | floor | row |
      |---|---:|---:|---|---:|---:|---:|---:|---|
      """;

  private Catalogue() {}

  /** 2 s deadline, 600 ms per attempt, 1 s to connect; retries, breakers and ejection as by default. */
  static ServicePolicy policy() {
    return ServicePolicy.builder().timeout(DEADLINE).connectTimeout(Duration.ofSeconds(1))
        .retry(RetryPolicy.builder().perTryTimeout(Duration.ofMillis(600)).build()).build();
  }

  /** Adds the row's line to the table, rewrites the table, then fails if the row does not hold. */
  public static void record(Outcome outcome) {
    try {
      Files.createDirectories(ROWS);
      Files.writeString(ROWS.resolve(outcome.row().order() + ".md"), outcome.tableLine() + "\n");
      String table = table();
      Files.writeString(TABLE, table);
      if (Files.exists(DOC)) {
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        int begin = doc.indexOf(BEGIN);
        int end = doc.indexOf(END);
        assertThat(begin).as(DOC + " has the markers " + BEGIN + " and " + END).isNotNegative();
        assertThat(end).as(DOC + " has the marker " + END + " after " + BEGIN).isGreaterThan(begin);
        Files.writeString(DOC, doc.substring(0, begin + BEGIN.length()) + "\n" + table + doc.substring(end));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the fault catalogue", e);
    }
    assertThat(outcome.hung()).as(outcome.row().fault() + ": hung calls").isZero();
    assertThat(outcome.successRate()).as(outcome.row().fault() + ": success rate (floor " + outcome.row().floor()
        + "); " + outcome).isGreaterThanOrEqualTo(outcome.row().floor());
    assertThat(outcome.recoveredInTime()).as(outcome.row().fault() + ": calls failed for " + outcome.recovery()
        + " (bound " + outcome.row().maxRecovery() + "); " + outcome).isTrue();
  }

  private static String table() throws IOException {
    List<Path> rows = new ArrayList<>();
    try (Stream<Path> files = Files.list(ROWS)) {
      files.filter(p -> p.toString().endsWith(".md")).sorted().forEach(rows::add);
    }
    StringBuilder table = new StringBuilder(HEAD);
    for (Path row : rows) {
      table.append(Files.readString(row, StandardCharsets.UTF_8));
    }
    return table.toString();
  }
}
