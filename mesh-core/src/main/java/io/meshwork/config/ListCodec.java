package io.meshwork.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * A list of items of one codec. It may require items, refuse the same value twice, or refuse two
 * items with the same value of one key (two routes named alike), each reported at the second one.
 */
final class ListCodec<E> extends Codec<List<E>> {

  private final Codec<E> item;
  private final int minItems;
  private final boolean uniqueValues;
  private final String uniqueKey;
  private final String uniqueWhat;

  private ListCodec(Codec<E> item, int minItems, boolean uniqueValues, String uniqueKey, String uniqueWhat) {
    this.item = item;
    this.minItems = minItems;
    this.uniqueValues = uniqueValues;
    this.uniqueKey = uniqueKey;
    this.uniqueWhat = uniqueWhat;
  }

  /** A list of any number of {@code item}s. */
  static <E> ListCodec<E> of(Codec<E> item) {
    return new ListCodec<>(item, 0, false, null, null);
  }

  /** This list with at least {@code min} items. */
  ListCodec<E> atLeast(int min) {
    return new ListCodec<>(item, min, uniqueValues, uniqueKey, uniqueWhat);
  }

  /** This list, refusing the same value twice. */
  ListCodec<E> uniqueValues() {
    return new ListCodec<>(item, minItems, true, uniqueKey, uniqueWhat);
  }

  /** This list, refusing two items with the same {@code key}; {@code what} names an item in messages. */
  ListCodec<E> uniqueBy(String key, String what) {
    return new ListCodec<>(item, minItems, uniqueValues, key, what);
  }

  @Override
  List<E> read(Node node, ReadContext context) {
    if (!(node instanceof SequenceNode sequence)) {
      context.error(node, Nodes.show(node) + " (expected: " + expected() + ")");
      return null;
    }
    List<Node> nodes = sequence.getValue();
    if (nodes.size() < minItems) {
      context.error(node, Nodes.show(node) + " (expected: " + expected() + ")");
      return null;
    }
    int before = context.errorCount();
    List<E> values = new ArrayList<>(nodes.size());
    Map<Object, Integer> seen = new HashMap<>();
    for (int i = 0; i < nodes.size(); i++) {
      ReadContext at = context.index(i);
      E value = item.read(nodes.get(i), at);
      values.add(value);
      if (uniqueValues && value != null) {
        Integer first = seen.putIfAbsent(value, i);
        if (first != null) {
          at.error(nodes.get(i), Nodes.show(nodes.get(i)) + " (expected: each value once; "
              + context.path().index(first) + " has it)");
        }
      }
      if (uniqueKey != null && Nodes.valueOf(nodes.get(i), uniqueKey) instanceof ScalarNode key) {
        Integer first = seen.putIfAbsent(key.getValue(), i);
        if (first != null) {
          at.field(uniqueKey).error(key, Nodes.show(key) + " (expected: a " + uniqueKey + " no other "
              + uniqueWhat + " has; " + context.path().index(first) + " has it)");
        }
      }
    }
    return context.errorCount() == before ? values : null;
  }

  @Override
  Object write(List<E> value, WriteContext context) {
    List<Object> out = new ArrayList<>(value.size());
    for (int i = 0; i < value.size(); i++) {
      out.add(item.write(value.get(i), context.index(i)));
    }
    return out;
  }

  @Override
  Map<String, Object> schema(SchemaContext schemas) {
    Map<String, Object> schema = new LinkedHashMap<>();
    schema.put("type", "array");
    schema.put("items", item.schema(schemas));
    if (minItems > 0) {
      schema.put("minItems", minItems);
    }
    if (uniqueValues) {
      schema.put("uniqueItems", true);
    }
    return schema;
  }

  @Override
  String expected() {
    return (minItems > 0 ? "a list of at least " + minItems : "a list") + " (each " + item.expected() + ")";
  }

  @Override
  String typeName() {
    return "list of " + item.typeName();
  }

  @Override
  List<Codec<?>> children() {
    return List.of(item);
  }
}
