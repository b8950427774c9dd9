package io.meshwork.config;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * A codec through a conversion, such as a string read into a {@code StatusSet}: the model's own
 * check ({@link IllegalArgumentException}) becomes an error at the node, with the model's field name
 * taken off its message since the path already names the field. It may also read in a context of
 * its own (the policy the value belongs to).
 */
final class MappedCodec<T, U> extends Codec<U> {

  private final Codec<T> inner;
  private final Function<T, U> read;
  private final Function<U, T> write;
  private final UnaryOperator<ReadContext> scope;

  MappedCodec(Codec<T> inner, Function<T, U> read, Function<U, T> write) {
    this(inner, read, write, UnaryOperator.identity());
  }

  MappedCodec(Codec<T> inner, Function<T, U> read, Function<U, T> write, UnaryOperator<ReadContext> scope) {
    this.inner = inner;
    this.read = read;
    this.write = write;
    this.scope = scope;
  }

  @Override
  U read(Node node, ReadContext given) {
    ReadContext context = scope.apply(given);
    T raw = inner.read(node, context);
    if (raw == null) {
      return null;
    }
    try {
      return read.apply(raw);
    } catch (IllegalArgumentException e) {
      context.error(node, ModelMessages.withoutField(e.getMessage()));
      return null;
    }
  }

  @Override
  Object write(U value, WriteContext context) {
    T raw;
    try {
      raw = write.apply(value);
    } catch (IllegalArgumentException e) {
      context.problem(e.getMessage());
      return null;
    }
    return inner.write(raw, context);
  }

  @Override
  Map<String, Object> schema(SchemaContext schemas) {
    return inner.schema(schemas);
  }

  @Override
  String expected() {
    return inner.expected();
  }

  @Override
  String typeName() {
    return inner.typeName();
  }

  @Override
  List<Codec<?>> children() {
    return List.of(inner);
  }
}
