package io.meshwork.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/** A duration such as {@code 250ms}, {@code 2s} or {@code 1m} (see {@link Durations}), optionally > 0. */
final class DurationCodec extends Codec<Duration> {

  private static final String EXAMPLES = "such as 250ms, 2s or 1m";

  private final boolean positive;

  DurationCodec(boolean positive) {
    this.positive = positive;
  }

  @Override
  Duration read(Node node, ReadContext context) {
    ScalarNode scalar = Nodes.scalar(node, context, expected(), Tag.STR);
    if (scalar == null) {
      return null;
    }
    Duration value;
    try {
      value = Durations.parse(scalar.getValue());
    } catch (IllegalArgumentException e) {
      String why = e.getMessage().equals("not a duration") ? "" : " is " + e.getMessage();
      context.error(node, Nodes.show(node) + why + " (expected: " + expected() + ")");
      return null;
    }
    if (positive && value.isZero()) {
      context.error(node, Nodes.show(node) + " (expected: " + expected() + ")");
      return null;
    }
    return value;
  }

  @Override
  Object write(Duration value, WriteContext context) {
    try {
      return Durations.format(value);
    } catch (ArithmeticException e) {
      context.problem(value + " (expected: at most 292 years)");
      return null;
    }
  }

  @Override
  Map<String, Object> schema(SchemaContext schemas) {
    Map<String, Object> schema = new LinkedHashMap<>();
    schema.put("type", "string");
    schema.put("pattern", Durations.PATTERN);
    return schema;
  }

  @Override
  String expected() {
    return positive ? "a duration > 0, " + EXAMPLES : "a duration >= 0, " + EXAMPLES;
  }

  @Override
  String typeName() {
    return positive ? "duration, > 0" : "duration";
  }
}
