package io.meshwork.config;

import java.util.LinkedHashMap;
import java.util.Map;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/** A finite number within bounds (an integer is a number too), read as a {@code double}. */
final class NumberCodec extends Codec<Double> {

  private final double min;
  private final boolean minExclusive;
  private final double max;

  /** A number from {@code min} (excluded when {@code minExclusive}) to {@code max} included. */
  NumberCodec(double min, boolean minExclusive, double max) {
    this.min = min;
    this.minExclusive = minExclusive;
    this.max = max;
  }

  @Override
  Double read(Node node, ReadContext context) {
    ScalarNode scalar = Nodes.scalar(node, context, expected(), Tag.INT, Tag.FLOAT);
    if (scalar == null) {
      return null;
    }
    double value;
    try {
      value = Double.parseDouble(scalar.getValue());
    } catch (NumberFormatException e) { // .inf, .nan: floats to YAML, no number to a policy
      value = Double.NaN;
    }
    boolean aboveMin = minExclusive ? value > min : value >= min;
    if (!(aboveMin && value <= max)) {
      context.error(node, scalar.getValue() + " (expected: " + range() + ")");
      return null;
    }
    return value;
  }

  @Override
  Object write(Double value, WriteContext context) {
    // A whole number is written as one (percent: 10, not 10.0); the rest as Java prints a double,
    // which reads back as the same double.
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return value.longValue();
    }
    return value;
  }

  @Override
  Map<String, Object> schema(SchemaContext schemas) {
    Map<String, Object> schema = new LinkedHashMap<>();
    schema.put("type", "number");
    schema.put(minExclusive ? "exclusiveMinimum" : "minimum", number(min));
    schema.put("maximum", number(max));
    return schema;
  }

  @Override
  String expected() {
    return "a number " + range();
  }

  @Override
  String typeName() {
    return "number, " + range();
  }

  private String range() {
    return minExclusive ? "> " + text(min) + " and <= " + text(max) : text(min) + ".." + text(max);
  }

  private static Object number(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15 ? (Object) (long) value : (Object) value;
  }

  private static String text(double value) {
    return String.valueOf(number(value));
  }
}
