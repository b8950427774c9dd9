package io.meshwork.config;

import java.util.Map;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/** {@code true} or {@code false} (YAML 1.2: {@code yes} and {@code on} are strings, not booleans). */
final class BooleanCodec extends Codec<Boolean> {

  @Override
  Boolean read(Node node, ReadContext context) {
    ScalarNode scalar = Nodes.scalar(node, context, expected(), Tag.BOOL);
    return scalar == null ? null : Boolean.valueOf(scalar.getValue());
  }

  @Override
  Object write(Boolean value, WriteContext context) {
    return value;
  }

  @Override
  Map<String, Object> schema(SchemaContext schemas) {
    return new java.util.LinkedHashMap<>(Map.of("type", "boolean"));
  }

  @Override
  String expected() {
    return "true or false";
  }

  @Override
  String typeName() {
    return "boolean";
  }
}
