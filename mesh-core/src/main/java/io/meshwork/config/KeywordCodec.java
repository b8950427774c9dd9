package io.meshwork.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * One of a fixed list of words, spelled exactly: the constants of an enum ({@code STRICT},
 * {@code HTTP_2}) or the names of balancers ({@code roundRobin}). A word that is close to one of them
 * is answered with a suggestion.
 */
final class KeywordCodec extends Codec<String> {

  private final List<String> words;

  KeywordCodec(List<String> words) {
    this.words = List.copyOf(words);
  }

  /** The constants of {@code type}, spelled as in Java. */
  static <E extends Enum<E>> Codec<E> forEnum(Class<E> type) {
    List<String> names = new ArrayList<>();
    for (E constant : type.getEnumConstants()) {
      names.add(constant.name());
    }
    return new KeywordCodec(names).map(name -> Enum.valueOf(type, name), Enum::name);
  }

  @Override
  String read(Node node, ReadContext context) {
    ScalarNode scalar = Nodes.scalar(node, context, expected(), Tag.STR);
    if (scalar == null) {
      return null;
    }
    if (!words.contains(scalar.getValue())) {
      context.error(node, Nodes.show(node) + " (expected: " + expected()
          + Nodes.suggestion(scalar.getValue(), words) + ")");
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
    schema.put("enum", words);
    return schema;
  }

  @Override
  String expected() {
    return Nodes.oneOf(words);
  }

  @Override
  String typeName() {
    return words.size() == 1 ? words.get(0)
        : String.join(", ", words.subList(0, words.size() - 1)) + " or " + words.get(words.size() - 1);
  }
}
