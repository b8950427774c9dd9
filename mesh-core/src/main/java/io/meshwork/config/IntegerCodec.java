package io.meshwork.config;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/** A whole number within bounds, read as an {@code int}. */
final class IntegerCodec extends Codec<Integer> {

  private final int min;
  private final int max;

  IntegerCodec(int min, int max) {
    this.min = min;
    this.max = max;
  }

  @Override
  Integer read(Node node, ReadContext context) {
    ScalarNode scalar = Nodes.scalar(node, context, expected(), Tag.INT);
    if (scalar == null) {
      return null;
    }
    BigInteger value;
    try {
      value = new BigInteger(scalar.getValue());
    } catch (NumberFormatException e) { // only with an explicit !!int tag on a word
      context.error(node, Nodes.show(node) + " (expected: " + expected() + ")");
      return null;
    }
    if (value.compareTo(BigInteger.valueOf(min)) < 0 || value.compareTo(BigInteger.valueOf(max)) > 0) {
      context.error(node, scalar.getValue() + " (expected: " + range() + ")");
      return null;
    }
    return value.intValue();
  }

  @Override
  Object write(Integer value, WriteContext context) {
    return value;
  }

  @Override
  Map<String, Object> schema(SchemaContext schemas) {
    Map<String, Object> schema = new LinkedHashMap<>();
    schema.put("type", "integer");
    schema.put("minimum", min);
    if (max != Integer.MAX_VALUE) {
      schema.put("maximum", max);
    }
    return schema;
  }

  @Override
  String expected() {
    return "an integer " + range();
  }

  @Override
  String typeName() {
    return "integer, " + range();
  }

  private String range() {
    return max == Integer.MAX_VALUE ? ">= " + min : min + ".." + max;
  }
}
