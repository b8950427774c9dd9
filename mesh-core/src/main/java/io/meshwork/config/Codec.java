package io.meshwork.config;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * One kind of value of {@code mesh.yaml}, described once: how it is read from a YAML node (reporting
 * what is wrong, with the place), written back to a plain YAML tree, given a JSON Schema, and named
 * in messages and in the reference. The codecs of {@link MeshYaml} are the whole description of the
 * file.
 *
 * @param <T> the value read
 */
abstract class Codec<T> {

  /**
   * The value of {@code node}, or null when it is wrong: then every problem has been reported to
   * {@code context}.
   */
  abstract T read(Node node, ReadContext context);

  /**
   * {@code value} as a plain YAML tree: a map, list, string, number or boolean. A value that YAML
   * cannot express is reported to {@code context} (the result is then null).
   */
  abstract Object write(T value, WriteContext context);

  /** The JSON Schema of the values, with object types defined once in {@code schemas}. */
  abstract Map<String, Object> schema(SchemaContext schemas);

  /** What a value must look like, as messages say after "expected:", such as "true or false". */
  abstract String expected();

  /** The type as the reference's tables show it, such as "duration" or "integer, 1..100". */
  String typeName() {
    return expected();
  }

  /** The codecs this one reads its parts with, for the reference and the tests that walk the description. */
  List<Codec<?>> children() {
    return List.of();
  }

  /**
   * This codec seen through a conversion: {@code read} makes the value from what this codec read
   * (an {@link IllegalArgumentException} is reported at the node), {@code write} takes it back (an
   * {@link IllegalArgumentException} says the value cannot be written).
   */
  <U> Codec<U> map(Function<T, U> read, Function<U, T> write) {
    return new MappedCodec<>(this, read, write);
  }

  /** This codec, reading in the context {@code scope} makes of the one it is given. */
  Codec<T> within(UnaryOperator<ReadContext> scope) {
    return new MappedCodec<>(this, value -> value, value -> value, scope);
  }
}
