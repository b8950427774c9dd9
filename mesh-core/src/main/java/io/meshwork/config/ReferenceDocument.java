package io.meshwork.config;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The reference of {@code mesh.yaml} (docs/mesh-yaml.md) in Markdown, made from the same description
 * the reader uses: one section per record or choice, one row per field with its type, default and
 * meaning. A test fails when the published file differs from it.
 */
final class ReferenceDocument {

  private static final String HEAD = """
      # mesh.yaml reference

      <!-- Generated from the description the reader uses (io.meshwork.config.MeshYaml); do not edit.
           MeshYamlDocsTest fails when this file and the description differ; run it with
           -Dmeshwork.docs.write=true to write this file and docs/mesh.schema.json again. -->

      `mesh.yaml` holds the whole policy of a mesh (`io.meshwork.config.MeshConfig`): the policy of
      each destination service (subsets, routes, timeouts, retries, breakers, balancer...), the default
      policy, authorization rules, inbound rate limits and the mTLS mode. It is read into the same
      records the builders make, by their own constructors, so a file and code can never mean
      different things. `MeshConfig.parseYaml(text)` reads one, `config.toYaml()` writes one, and
      `ConfigSource.file(path)` watches one. The seeds' walkthrough is
      [mesh-walkthrough.yaml](mesh-walkthrough.yaml); editors that read JSON Schema complete and check
      the file with [mesh.schema.json](mesh.schema.json) (for the YAML language server, start the file
      with `# yaml-language-server: $schema=<path or URL of mesh.schema.json>`).

      - **Validation.** A document is checked whole before anything of it applies. Every error names
        the line and column, the field path (`services.user-service.routes[1].route[0].weight`), the
        value and what was expected, and all errors of a document are reported at once. Unknown fields
        are errors (with a suggestion when a known one is close); so are a route to a subset its
        service does not declare, two routes of one name, weights that sum to 0 and a regex that does
        not compile (named with its rule).
      - **Defaults.** A field left out takes the default below; so does a whole section. A nested
        record that is set takes the defaults of its own fields (a route's `retries: {maxAttempts: 2}`
        is `RetryPolicy`'s defaults with two attempts, not the service's retry policy changed).
      - **Durations** are numbers with units: `250ms`, `2s`, `1m`, `1h`, `1m30s`, `1.5s` (`ns`, `us`,
        `ms`, `s`, `m`, `h`); `0s` is zero. Never negative.
      - **Strings** that YAML would read as something else must be quoted: a label `version: "2"`, not
        `version: 2`; `yes`, `no` and `on` are plain strings (YAML 1.2).
      - **Names** of services and subsets are 1..253 letters, digits, `.`, `_` and `-`, starting with
        a letter or digit. Header names are kept in lower case.
      - What only code can hold is refused by `toYaml()` with the field named: a balancer made by a
        lambda (use `LoadBalancerSpec`), and decorators.
      """;

  private ReferenceDocument() {}

  static String markdown() {
    StringBuilder out = new StringBuilder(HEAD);
    for (Codec<?> codec : sections()) {
      out.append('\n');
      if (codec instanceof ObjectCodec<?> object) {
        object(object, out);
      } else {
        choice((ChoiceCodec<?>) codec, out);
      }
    }
    return out.toString();
  }

  /** Every record and choice of the description, the top first, each once, in the order first met. */
  private static Set<Codec<?>> sections() {
    Set<Codec<?>> sections = new LinkedHashSet<>();
    Deque<Codec<?>> pending = new ArrayDeque<>(List.of(MeshYaml.MESH_CONFIG));
    while (!pending.isEmpty()) {
      Codec<?> codec = pending.removeFirst();
      if ((codec instanceof ObjectCodec<?> || codec instanceof ChoiceCodec<?>) && !sections.add(codec)) {
        continue;
      }
      pending.addAll(codec.children());
    }
    return sections;
  }

  private static <T> void object(ObjectCodec<T> object, StringBuilder out) {
    out.append("## ").append(object.name()).append("\n\n").append(object.description()).append("\n\n")
        .append("| field | type | default | meaning |\n|---|---|---|---|\n");
    for (Field<T> field : object.fields()) {
      Object written = field.writtenDefault();
      String fallback = field.required() ? "required"
          : written != null ? "`" + written + "`"
          : field.defaultValue() == null ? "none" : "its defaults";
      out.append("| `").append(field.name()).append("` | ").append(cell(field.codec().typeName())).append(" | ")
          .append(cell(fallback)).append(" | ").append(cell(field.description())).append(" |\n");
    }
  }

  private static <T> void choice(ChoiceCodec<T> choice, StringBuilder out) {
    out.append("## ").append(choice.name()).append("\n\n").append(choice.description()).append("\n\n")
        .append("| written as | value | meaning |\n|---|---|---|\n");
    if (choice.shorthand() != null) {
      out.append("| the value alone | ").append(cell(choice.shorthand().codec().typeName())).append(" | ")
          .append(cell(choice.shorthand().description())).append(" |\n");
    }
    for (ChoiceCodec.Alternative<T> alternative : choice.alternatives()) {
      out.append("| `").append(alternative.key()).append(": ...` | ").append(cell(alternative.codec().typeName()))
          .append(" | ").append(cell(alternative.description())).append(" |\n");
    }
  }

  private static String cell(String text) {
    return text.replace("|", "\\|").replace("\n", " ");
  }
}
