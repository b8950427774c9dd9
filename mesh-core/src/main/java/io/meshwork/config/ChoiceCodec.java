package io.meshwork.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * A value written as a mapping with exactly one of several keys, the key saying which kind it is:
 * {@code path: {prefix: /api/}}, {@code {ringHash: {header: x-user-id}}}. It may also have a scalar
 * shorthand for its most common kind: {@code version: beta} for {@code version: {exact: beta}}.
 *
 * @param <T> the value read
 */
final class ChoiceCodec<T> extends Codec<T> {

  private final String name;
  private final String description;
  private final List<Alternative<T>> alternatives;
  private final Alternative<T> shorthand;
  private final List<String> keys = new ArrayList<>();

  private ChoiceCodec(String name, String description, List<Alternative<T>> alternatives,
      Alternative<T> shorthand) {
    this.name = name;
    this.description = description;
    this.alternatives = List.copyOf(alternatives);
    this.shorthand = shorthand;
    alternatives.forEach(alternative -> keys.add(alternative.key()));
  }

  /** A choice named {@code name} in the schema and the reference; add its kinds with {@link #or}. */
  static <T> ChoiceCodec<T> of(String name, String description) {
    return new ChoiceCodec<>(name, description, List.of(), null);
  }

  /**
   * This choice with one more kind: key {@code key}, whose value {@code codec} reads and
   * {@code make} turns into the value; {@code valueOf} gives back what the key holds for a value of
   * this kind, and null for a value of another kind.
   */
  @SuppressWarnings("unchecked")
  <V> ChoiceCodec<T> or(String key, Codec<V> codec, Function<V, T> make, Function<T, V> valueOf, String doc) {
    List<Alternative<T>> more = new ArrayList<>(alternatives);
    more.add(new Alternative<>(key, (Codec<Object>) codec, (Function<Object, T>) make,
        (Function<T, Object>) valueOf, doc));
    return new ChoiceCodec<>(name, description, more, shorthand);
  }

  /** This choice, also read from a scalar alone (the same arguments as {@link #or}, without a key). */
  @SuppressWarnings("unchecked")
  <V> ChoiceCodec<T> orScalar(Codec<V> codec, Function<V, T> make, Function<T, V> valueOf, String doc) {
    return new ChoiceCodec<>(name, description, alternatives, new Alternative<>(null,
        (Codec<Object>) codec, (Function<Object, T>) make, (Function<T, Object>) valueOf, doc));
  }

  String name() {
    return name;
  }

  String description() {
    return description;
  }

  List<Alternative<T>> alternatives() {
    return alternatives;
  }

  Alternative<T> shorthand() {
    return shorthand;
  }

  @Override
  T read(Node node, ReadContext context) {
    if (shorthand != null && node instanceof ScalarNode) {
      return make(shorthand, node, context);
    }
    if (!(node instanceof MappingNode mapping) || mapping.getValue().isEmpty()) {
      context.error(node, Nodes.show(node) + " (expected: " + expected() + ")");
      return null;
    }
    int before = context.errorCount();
    Map<String, NodeTuple> entries = Nodes.entries(mapping, context, keys, "key");
    if (context.errorCount() != before) {
      return null;
    }
    if (entries.size() > 1) {
      List<String> given = new ArrayList<>(entries.keySet());
      NodeTuple second = entries.get(given.get(1));
      context.field(given.get(1)).error(second.getKeyNode(), "'" + given.get(1) + "' beside '"
          + given.get(0) + "' (expected: only " + Nodes.oneOf(keys) + ")");
      return null;
    }
    Map.Entry<String, NodeTuple> entry = entries.entrySet().iterator().next();
    Alternative<T> alternative = alternatives.get(keys.indexOf(entry.getKey()));
    return make(alternative, entry.getValue().getValueNode(), context.field(entry.getKey()));
  }

  private T make(Alternative<T> alternative, Node node, ReadContext context) {
    Object value = alternative.codec().read(node, context);
    if (value == null) {
      return null;
    }
    try {
      return alternative.make().apply(value);
    } catch (IllegalArgumentException e) {
      context.error(node, ModelMessages.withoutField(e.getMessage()));
      return null;
    }
  }

  @Override
  Object write(T value, WriteContext context) {
    if (shorthand != null) {
      Object brief = shorthand.valueOf().apply(value);
      if (brief != null) {
        return shorthand.codec().write(brief, context);
      }
    }
    for (Alternative<T> alternative : alternatives) {
      Object inner = alternative.valueOf().apply(value);
      if (inner != null) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(alternative.key(), alternative.codec().write(inner, context.field(alternative.key())));
        return out;
      }
    }
    throw new IllegalStateException(name + ": no kind writes " + value);
  }

  @Override
  Map<String, Object> schema(SchemaContext schemas) {
    return schemas.reference(name, () -> {
      Map<String, Object> properties = new LinkedHashMap<>();
      for (Alternative<T> alternative : alternatives) {
        Map<String, Object> property = new LinkedHashMap<>(alternative.codec().schema(schemas));
        property.put("description", alternative.description());
        properties.put(alternative.key(), property);
      }
      Map<String, Object> object = new LinkedHashMap<>();
      object.put("type", "object");
      object.put("properties", properties);
      object.put("additionalProperties", false);
      object.put("minProperties", 1);
      object.put("maxProperties", 1);
      Map<String, Object> definition = new LinkedHashMap<>();
      definition.put("description", description);
      if (shorthand == null) {
        definition.putAll(object);
      } else {
        Map<String, Object> scalar = new LinkedHashMap<>(shorthand.codec().schema(schemas));
        scalar.put("description", shorthand.description());
        definition.put("anyOf", List.of(scalar, object));
      }
      return definition;
    });
  }

  @Override
  String expected() {
    String mapping = "a mapping with one key of " + String.join(", ", keys);
    return shorthand == null ? mapping : shorthand.codec().expected() + ", or " + mapping;
  }

  /** A link to the choice's section of the reference. */
  @Override
  String typeName() {
    return "[" + name + "](#" + name.toLowerCase(java.util.Locale.ROOT) + ")";
  }

  @Override
  List<Codec<?>> children() {
    List<Codec<?>> children = new ArrayList<>();
    if (shorthand != null) {
      children.add(shorthand.codec());
    }
    alternatives.forEach(alternative -> children.add(alternative.codec()));
    return children;
  }

  /** One kind of a choice; the shorthand has no key. */
  record Alternative<T>(String key, Codec<Object> codec, Function<Object, T> make,
      Function<T, Object> valueOf, String description) {}
}
