package io.meshwork.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The published schema and reference are the ones the description makes: a change to the model or
 * to the reader that is not published fails here. With {@code -Dmeshwork.docs.write=true} the test
 * writes both files instead (then commit them).
 */
class MeshYamlDocsTest {

  static final Path DOCS = Path.of("..", "docs");

  @Test
  void publishedSchemaIsTheOneTheDescriptionMakes() throws IOException {
    check(DOCS.resolve("mesh.schema.json"), MeshConfig.jsonSchema());
  }

  @Test
  void publishedReferenceIsTheOneTheDescriptionMakes() throws IOException {
    check(DOCS.resolve("mesh-yaml.md"), ReferenceDocument.markdown());
  }

  private static void check(Path published, String generated) throws IOException {
    if (Boolean.getBoolean("meshwork.docs.write")) {
      Files.writeString(published, generated, StandardCharsets.UTF_8);
    }
    assertThat(published).as("%s is published (run this test with -Dmeshwork.docs.write=true)", published)
        .exists();
    assertThat(Files.readString(published, StandardCharsets.UTF_8))
        .as("%s differs from the description; run MeshYamlDocsTest with -Dmeshwork.docs.write=true and"
            + " commit the file", published)
        .isEqualTo(generated);
  }
}
