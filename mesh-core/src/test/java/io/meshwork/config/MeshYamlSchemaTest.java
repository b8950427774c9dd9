package io.meshwork.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The published JSON Schema, run by a real validator (networknt), agrees with the reader: the
 * documents it reads pass the schema, and the documents the generated breaks make fail it too. An
 * editor checking a file against the schema tells the same story as the mesh.
 */
class MeshYamlSchemaTest {

  private static final Schema SCHEMA = schema();
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void theExamplesMatchTheSchema() throws IOException {
    assertThat(SCHEMA.validate(json(Files.readString(MeshYamlDocsTest.DOCS.resolve("mesh-walkthrough.yaml")))))
        .isEmpty();
    assertThat(SCHEMA.validate(json(MalformedYamlTest.EVERY_FIELD))).isEmpty();
  }

  @Property(tries = 100)
  void everyWrittenConfigMatchesTheSchema(@ForAll("configs") MeshConfig config) {
    assertThat(SCHEMA.validate(json(config.toYaml()))).isEmpty();
  }

  @TestFactory
  Stream<DynamicTest> aValueOfTheWrongTypeFailsTheSchemaToo() {
    String yaml = MalformedYamlTest.EVERY_FIELD;
    return DescriptionWalk.of(yaml).scalars.stream().map(site -> DynamicTest.dynamicTest(site.path(),
        () -> assertThat(SCHEMA.validate(json(MalformedYamlTest.replace(yaml, site.node(), "[1, 2]")))).isNotEmpty()));
  }

  @TestFactory
  Stream<DynamicTest> anUnknownFieldFailsTheSchemaToo() {
    String yaml = MalformedYamlTest.EVERY_FIELD;
    return DescriptionWalk.of(yaml).records.stream().map(site -> DynamicTest.dynamicTest(
        site.path().isEmpty() ? "(top)" : site.path(),
        () -> assertThat(SCHEMA.validate(json(MalformedYamlTest.withUnknownField(yaml, site.node())))).isNotEmpty()));
  }

  @Test
  void theSchemaRefusesWhatTheReaderRefusesForItsForm() {
    assertThat(SCHEMA.validate(json("services: {a: {timeout: 5}}"))).isNotEmpty(); // a duration needs its unit
    assertThat(SCHEMA.validate(json("services: {a: {subsets: {v2: {version: 2}}}}"))).isNotEmpty(); // quote "2"
    assertThat(SCHEMA.validate(json("services: {'a b': {}}"))).isNotEmpty();
    assertThat(SCHEMA.validate(json("services: {a: {loadBalancer: roundrobin}}"))).isNotEmpty();
    assertThat(SCHEMA.validate(json("services: {a: {loadBalancer: {ringHash: {}}}}"))).isNotEmpty();
    assertThat(SCHEMA.validate(json("mtls: strict"))).isNotEmpty();
    assertThat(SCHEMA.validate(json("services: {a: {retries: {maxAttempts: 101}}}"))).isNotEmpty();
  }

  @Provide
  Arbitrary<MeshConfig> configs() {
    return Arbitraries.randomValue(random -> new RandomConfigs(random).meshConfig());
  }

  /** The document as JSON, read by the same YAML rules as the mesh (YAML 1.2, JSON schema). */
  private static JsonNode json(String yaml) {
    return JSON.valueToTree(new Load(LoadSettings.builder().build()).loadFromString(yaml));
  }

  private static Schema schema() {
    try {
      return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7)
          .getSchema(Files.readString(MeshYamlDocsTest.DOCS.resolve("mesh.schema.json")), InputFormat.JSON);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
