package io.meshwork.config;

import java.util.LinkedHashMap;
import java.util.Map;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * A string. A plain scalar that YAML reads as another type ({@code 2}, {@code true}) is refused with
 * a hint to quote it, as the JSON Schema refuses it: a label {@code version: 2} is not a string.
 */
final class StringCodec extends Codec<String> {

  private final String expected;
  private final String pattern;
  private final boolean nonEmpty;

  /**
   * @param expected what a value must be, such as "a header name"
   * @param pattern the JSON Schema pattern of values, or null
   * @param nonEmpty whether the empty string is refused
   */
  StringCodec(String expected, String pattern, boolean nonEmpty) {
    this.expected = expected;
    this.pattern = pattern;
    this.nonEmpty = nonEmpty;
  }

  @Override
  String read(Node node, ReadContext context) {
    ScalarNode scalar = Nodes.string(node, context, expected);
    if (scalar == null) {
      return null;
    }
    if (nonEmpty && scalar.getValue().isEmpty()) {
      context.error(node, "'' (expected: " + expected + ")");
      return null;
    }
    return scalar.getValue();
  }

  @Override
  Object write(String value, WriteContext context) {
    return value;
  }

  @Override
  Map<String, Object> schema(SchemaContext schemas) {
    Map<String, Object> schema = new LinkedHashMap<>();
    schema.put("type", "string");
    if (nonEmpty) {
      schema.put("minLength", 1);
    }
    if (pattern != null) {
      schema.put("pattern", pattern);
    }
    return schema;
  }

  @Override
  String expected() {
    return expected;
  }

  @Override
  String typeName() {
    return "string";
  }
}
