package io.meshwork.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * A mapping from names to values of one codec, in the file's order: services by name, labels,
 * headers. Each key is checked (and may be normalized, as header names are lower-cased); a key met
 * twice is refused at the second.
 */
final class MapCodec<V> extends Codec<Map<String, V>> {

  private final String keyWhat;
  private final String keyPattern;
  private final UnaryOperator<String> keyCheck;
  private final Codec<V> value;
  private final boolean keyOwnsValue;
  private final boolean sorted;

  /**
   * @param keyWhat what a key is, such as "a service name"
   * @param keyPattern the JSON Schema pattern of keys, or null
   * @param keyCheck returns the key as it is kept, or throws {@link IllegalArgumentException}
   * @param value reads each value
   * @param keyOwnsValue whether each value is the policy of the service its key names
   */
  MapCodec(String keyWhat, String keyPattern, UnaryOperator<String> keyCheck, Codec<V> value,
      boolean keyOwnsValue) {
    this(keyWhat, keyPattern, keyCheck, value, keyOwnsValue, false);
  }

  private MapCodec(String keyWhat, String keyPattern, UnaryOperator<String> keyCheck, Codec<V> value,
      boolean keyOwnsValue, boolean sorted) {
    this.keyWhat = keyWhat;
    this.keyPattern = keyPattern;
    this.keyCheck = keyCheck;
    this.value = value;
    this.keyOwnsValue = keyOwnsValue;
    this.sorted = sorted;
  }

  /**
   * This map, written in key order: for maps the model keeps without an order (label selectors), so
   * that one config is always written as the same text.
   */
  MapCodec<V> writtenSorted() {
    return new MapCodec<>(keyWhat, keyPattern, keyCheck, value, keyOwnsValue, true);
  }

  @Override
  Map<String, V> read(Node node, ReadContext context) {
    if (!(node instanceof MappingNode mapping)) {
      context.error(node, Nodes.show(node) + " (expected: " + expected() + ")");
      return null;
    }
    int before = context.errorCount();
    Map<String, V> values = new LinkedHashMap<>();
    Map<String, Node> keys = new LinkedHashMap<>();
    for (NodeTuple tuple : mapping.getValue()) {
      Node keyNode = tuple.getKeyNode();
      if (!(keyNode instanceof ScalarNode scalar) || !scalar.getTag().equals(Tag.STR)) {
        context.error(keyNode, "key " + Nodes.show(keyNode) + " (expected: " + keyWhat + ")");
        continue;
      }
      ReadContext at = context.key(scalar.getValue());
      String key;
      try {
        key = keyCheck.apply(scalar.getValue());
      } catch (IllegalArgumentException e) {
        at.error(keyNode, "key " + ModelMessages.withoutField(e.getMessage()));
        continue;
      }
      if (keys.containsKey(key)) {
        at.error(keyNode, "'" + key + "' is set twice (expected: once; first at "
            + Nodes.where(keys.get(key), keyNode) + ")");
        continue;
      }
      keys.put(key, keyNode);
      V read = value.read(tuple.getValueNode(), keyOwnsValue ? at.ownedBy(key) : at);
      if (read != null) {
        values.put(key, read);
      }
    }
    return context.errorCount() == before ? values : null;
  }

  @Override
  Object write(Map<String, V> map, WriteContext context) {
    Map<String, Object> out = sorted ? new java.util.TreeMap<>() : new LinkedHashMap<>();
    map.forEach((key, item) -> out.put(key, value.write(item, context.key(key))));
    return out;
  }

  @Override
  Map<String, Object> schema(SchemaContext schemas) {
    Map<String, Object> schema = new LinkedHashMap<>();
    schema.put("type", "object");
    if (keyPattern != null) {
      schema.put("propertyNames", Map.of("pattern", keyPattern));
    }
    schema.put("additionalProperties", value.schema(schemas));
    return schema;
  }

  @Override
  String expected() {
    return "a mapping of " + keyWhat + " to " + value.expected();
  }

  @Override
  List<Codec<?>> children() {
    return List.of(value);
  }

  @Override
  String typeName() {
    return "map of " + keyWhat.replaceFirst("^an? ", "") + " to " + value.typeName();
  }
}
