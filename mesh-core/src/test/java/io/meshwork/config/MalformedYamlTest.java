package io.meshwork.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Malformed documents are rejected whole, with every error at its line and column, its field path,
 * the value and what was expected. Hand-written cases (malformed.txt) assert each message exactly;
 * generated cases break every value and every record of a document that sets every field, and assert
 * the one error each break must give.
 */
class MalformedYamlTest {

  static final String EVERY_FIELD = resource("every-field.yaml");

  /** One hand-written case: a document and every error its reader must report. */
  record Case(String name, String yaml, List<String> errors) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> handWritten() {
    List<Case> cases = new ArrayList<>();
    String name = null;
    StringBuilder yaml = new StringBuilder();
    List<String> errors = new ArrayList<>();
    for (String line : (resource("malformed.txt") + "\n### end").split("\n", -1)) {
      if (line.startsWith("### ")) {
        if (name != null) {
          cases.add(new Case(name, yaml.toString(), List.copyOf(errors)));
        }
        name = line.substring(4);
        yaml.setLength(0);
        errors.clear();
      } else if (line.startsWith(">>> ")) {
        errors.add(line.substring(4));
      } else if (name != null && !(line.isEmpty() && !errors.isEmpty())) {
        yaml.append(line).append('\n');
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("handWritten")
  void rejectsTheDocumentNamingEveryError(Case malformed) {
    InvalidConfigException rejected = catchThrowableOfType(InvalidConfigException.class,
        () -> MeshConfig.parseYaml(malformed.yaml()));
    assertThat(rejected).as("rejected:\n%s", malformed.yaml()).isNotNull();
    assertThat(rejected.errors()).extracting(ConfigError::toString).containsExactlyElementsOf(malformed.errors());
  }

  @Test
  void thereAreAtLeastFiftyHandWrittenCases() {
    assertThat(handWritten().count()).isGreaterThanOrEqualTo(50);
  }

  @Test
  void theExceptionNamesTheSourceAndListsEveryError() {
    assertThatThrownBy(() -> MeshConfig.parseYaml("mtls: strict\nservices: {a: {timeout: 5}}\n", "mesh.yaml"))
        .isInstanceOf(InvalidConfigException.class)
        .isInstanceOf(io.meshwork.InvalidConfigurationException.class)
        .hasMessage("""
            mesh.yaml rejected, 2 errors:
              mesh.yaml:1:7: mtls: 'strict' (expected: one of STRICT, PERMISSIVE, DISABLED; did you mean 'STRICT'?)
              mesh.yaml:2:25: services.a.timeout: 5 (expected: a duration > 0, such as 250ms, 2s or 1m)""")
        .extracting(e -> ((InvalidConfigException) e).errors().get(1))
        .isEqualTo(new ConfigError("mesh.yaml", 2, 25, "services.a.timeout",
            "5 (expected: a duration > 0, such as 250ms, 2s or 1m)"));
  }

  @Test
  void theDocumentEveryCaseBreaksIsValid() {
    assertThat(MeshConfig.parseYaml(EVERY_FIELD).services()).containsKeys("user-service", "order-service");
  }

  /** Every value of the document replaced by a list: one error, there, naming what was expected. */
  @TestFactory
  Stream<DynamicTest> everyValueOfTheWrongTypeIsReportedWhereItIs() {
    return DescriptionWalk.of(EVERY_FIELD).scalars.stream().map(site -> DynamicTest.dynamicTest(site.path(), () -> {
      String broken = replace(EVERY_FIELD, site.node(), "[1, 2]");
      String where = line(site.node()) + ":" + column(site.node()) + ": " + site.path() + ": ";
      assertThat(errorsOf(broken)).containsExactly(where + DescriptionWalk.prefix(site.label())
          + "a list (expected: " + site.codec().expected() + ")");
    }));
  }

  /** A field no record has, put in every record of the document: one error, there, listing the fields. */
  @TestFactory
  Stream<DynamicTest> anUnknownFieldInEveryRecordIsReportedWhereItIs() {
    return DescriptionWalk.of(EVERY_FIELD).records.stream().map(site -> DynamicTest.dynamicTest(
        site.path().isEmpty() ? "(top)" : site.path(), () -> {
          String broken = withUnknownField(EVERY_FIELD, site.node());
          boolean flow = EVERY_FIELD.charAt(index(site.node())) == '{';
          List<String> names = site.codec().fields().stream().map(Field::name).toList();
          String path = site.path().isEmpty() ? "unexpectedKey" : site.path() + ".unexpectedKey";
          assertThat(errorsOf(broken)).containsExactly(line(site.node()) + ":" + (column(site.node()) + (flow ? 1 : 0))
              + ": " + path + ": " + DescriptionWalk.prefix(site.label()) + "unknown field 'unexpectedKey' (expected: "
              + Nodes.oneOf(names) + Nodes.suggestion("unexpectedKey", names) + ")");
        }));
  }

  static List<String> errorsOf(String yaml) {
    InvalidConfigException rejected = catchThrowableOfType(InvalidConfigException.class,
        () -> MeshConfig.parseYaml(yaml));
    assertThat(rejected).as("rejected:\n%s", yaml).isNotNull();
    return rejected.errors().stream().map(ConfigError::toString).toList();
  }

  /** {@code yaml} with the scalar {@code node} replaced by {@code text}. */
  static String replace(String yaml, Node node, String text) {
    int start = index(node);
    int end = node.getEndMark().orElseThrow().getIndex();
    return yaml.substring(0, start) + text + yaml.substring(end);
  }

  /** {@code yaml} with a field no record has put first in {@code mapping}. */
  static String withUnknownField(String yaml, MappingNode mapping) {
    int at = index(mapping);
    if (yaml.charAt(at) == '{') {
      return yaml.substring(0, at + 1) + "unexpectedKey: 1, " + yaml.substring(at + 1);
    }
    return yaml.substring(0, at) + "unexpectedKey: 1\n" + " ".repeat(column(mapping) - 1) + yaml.substring(at);
  }

  static int index(Node node) {
    return node.getStartMark().orElseThrow().getIndex();
  }

  static int line(Node node) {
    return node.getStartMark().orElseThrow().getLine() + 1;
  }

  static int column(Node node) {
    return node.getStartMark().orElseThrow().getColumn() + 1;
  }

  static String resource(String name) {
    try (InputStream in = MalformedYamlTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(name, e);
    }
  }
}
