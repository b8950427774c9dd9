package io.meshwork.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * A mapping of named fields read into one record of the model, through the record's own validating
 * constructor or builder: so a file can never mean something code cannot. Each field is read by its
 * own codec (every wrong field is reported, not only the first); the record is made only when all
 * fields are right, and a check of the record as a whole that fails (the model's
 * {@link IllegalArgumentException}) is reported at the field its message names.
 *
 * @param <T> the record
 */
final class ObjectCodec<T> extends Codec<T> {

  private final String name;
  private final String description;
  private final List<Field<T>> fields;
  private final Function<Values, T> construct;
  private final String labelField;
  private final Function<Object, String> label;
  private final String modelPrefix;
  private final List<OnBuilt<T>> onBuilt;
  private final List<WriteCheck<T>> writeChecks;
  private final List<OnBuilt<Void>> nodeChecks;
  private final List<String> names = new ArrayList<>();

  private ObjectCodec(Builder<T> builder, Function<Values, T> construct) {
    this.name = builder.name;
    this.description = builder.description;
    this.fields = List.copyOf(builder.fields);
    this.construct = construct;
    this.labelField = builder.labelField;
    this.label = builder.label;
    this.modelPrefix = builder.modelPrefix;
    this.onBuilt = List.copyOf(builder.onBuilt);
    this.writeChecks = List.copyOf(builder.writeChecks);
    this.nodeChecks = List.copyOf(builder.nodeChecks);
    fields.forEach(field -> names.add(field.name()));
  }

  /** A builder of the codec of a record named {@code name} in the schema and the reference. */
  static <T> Builder<T> builder(String name, String description) {
    return new Builder<>(name, description);
  }

  String name() {
    return name;
  }

  String description() {
    return description;
  }

  List<Field<T>> fields() {
    return fields;
  }

  @Override
  T read(Node node, ReadContext context) {
    if (!(node instanceof MappingNode mapping)) {
      context.error(node, Nodes.show(node) + " (expected: " + expected() + ")");
      return null;
    }
    int before = context.errorCount();
    ReadContext inner = labeled(mapping, context);
    Map<String, NodeTuple> entries = Nodes.entries(mapping, inner, names, "field");
    Map<String, Object> values = new LinkedHashMap<>();
    for (Field<T> field : fields) {
      NodeTuple entry = entries.get(field.name());
      // The field that names the record is read outside the name it gives.
      ReadContext at = (field.name().equals(labelField) ? context : inner).field(field.name());
      if (entry == null || (!field.required() && Nodes.isNull(entry.getValueNode()))) {
        if (field.required()) {
          at.error(mapping, "missing (expected: " + field.codec().expected() + ")");
        } else {
          values.put(field.name(), field.defaultValue());
          field.notify(field.defaultValue(), inner);
        }
        continue;
      }
      Object value = field.codec().read(entry.getValueNode(), at);
      field.notify(value, inner);
      if (value != null) {
        values.put(field.name(), value);
      }
    }
    for (OnBuilt<Void> check : nodeChecks) {
      check.accept(null, mapping, inner);
    }
    if (context.errorCount() != before) {
      return null;
    }
    T value;
    try {
      value = construct.apply(new Values(values));
    } catch (IllegalArgumentException e) {
      reportModelError(e.getMessage(), mapping, inner);
      return null;
    }
    for (OnBuilt<T> hook : onBuilt) {
      hook.accept(value, mapping, inner);
    }
    return value;
  }

  /** The context of the record's fields: named after the record when it has a name (a rule's). */
  private ReadContext labeled(MappingNode mapping, ReadContext context) {
    if (labelField != null && Nodes.valueOf(mapping, labelField) instanceof ScalarNode name
        && name.getTag().equals(Tag.STR) && !name.getValue().isBlank()) {
      return context.labeled(label.apply(name.getValue()));
    }
    return context;
  }

  /**
   * Reports a failed check of the record as a whole where its message points: the field it names
   * (by its name in the file, or the model's name for it), down to the deepest node the file has.
   */
  private void reportModelError(String message, MappingNode mapping, ReadContext context) {
    String text = ModelMessages.durations(message);
    if (context.label() != null && text.startsWith(context.label() + ": ")) {
      text = text.substring(context.label().length() + 2);
    }
    if (modelPrefix != null && text.startsWith(modelPrefix)) {
      text = text.substring(modelPrefix.length());
    }
    String token = ModelMessages.field(text);
    String head = token == null ? firstWord(text) : token;
    String[] segments = head.split("\\.");
    Field<T> field = fieldNamed(segments[0].replaceAll("\\[\\d+]$", ""));
    if (field == null) {
      context.error(mapping, text);
      return;
    }
    Node node = Nodes.valueOf(mapping, field.name());
    ReadContext at = context.field(field.name());
    String index = segments[0].replaceAll("^[^\\[]*", "");
    if (!index.isEmpty()) {
      int i = Integer.parseInt(index.substring(1, index.length() - 1));
      at = at.index(i);
      node = node instanceof org.snakeyaml.engine.v2.nodes.SequenceNode list && i < list.getValue().size()
          ? list.getValue().get(i) : node;
    }
    for (int i = 1; i < segments.length; i++) {
      at = at.field(segments[i]);
      Node deeper = Nodes.valueOf(node, segments[i]);
      node = deeper != null ? deeper : node;
    }
    at.error(node != null ? node : mapping, token == null ? text : text.substring(token.length() + 2));
  }

  private static String firstWord(String text) {
    int space = text.indexOf(' ');
    return space < 0 ? text : text.substring(0, space);
  }

  private Field<T> fieldNamed(String modelName) {
    for (Field<T> field : fields) {
      if (field.name().equals(modelName) || field.aliases().contains(modelName)) {
        return field;
      }
    }
    return null;
  }

  @Override
  Object write(T value, WriteContext context) {
    for (WriteCheck<T> check : writeChecks) {
      String problem = check.problem().apply(value);
      if (problem != null) {
        context.field(check.field()).problem(problem);
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (Field<T> field : fields) {
      Object fieldValue = field.getter().apply(value);
      if (fieldValue == null || (!field.required() && Objects.equals(fieldValue, field.defaultValue()))) {
        continue;
      }
      Object written = field.codec().write(fieldValue, context.field(field.name()));
      if (written != null) {
        out.put(field.name(), written);
      }
    }
    return out;
  }

  @Override
  Map<String, Object> schema(SchemaContext schemas) {
    return schemas.reference(name, () -> {
      Map<String, Object> properties = new LinkedHashMap<>();
      List<String> required = new ArrayList<>();
      for (Field<T> field : fields) {
        Map<String, Object> property = new LinkedHashMap<>(field.codec().schema(schemas));
        property.put("description", field.description());
        Object written = field.writtenDefault();
        if (written != null) {
          property.put("default", written);
        }
        properties.put(field.name(), property);
        if (field.required()) {
          required.add(field.name());
        }
      }
      Map<String, Object> definition = new LinkedHashMap<>();
      definition.put("type", "object");
      definition.put("description", description);
      definition.put("properties", properties);
      if (!required.isEmpty()) {
        definition.put("required", required);
      }
      definition.put("additionalProperties", false);
      return definition;
    });
  }

  @Override
  String expected() {
    return names.size() <= 4 ? "a mapping with " + String.join(", ", names) : "a mapping of " + name + " fields";
  }

  /** A link to the record's section of the reference. */
  @Override
  String typeName() {
    return "[" + name + "](#" + name.toLowerCase(java.util.Locale.ROOT) + ")";
  }

  @Override
  List<Codec<?>> children() {
    return fields.stream().<Codec<?>>map(Field::codec).toList();
  }

  /** The values read (or defaulted) for each field, by field name, for the record's constructor. */
  static final class Values {
    private final Map<String, Object> values;

    Values(Map<String, Object> values) {
      this.values = values;
    }

    /** The value of field {@code name}: the one read, or its default (null for an optional field). */
    @SuppressWarnings("unchecked")
    <V> V get(String name) {
      if (!values.containsKey(name)) {
        throw new IllegalStateException("no field " + name + " among " + values.keySet());
      }
      return (V) values.get(name);
    }
  }

  /** Done with each record read: what the document checks as a whole needs to know of it. */
  @FunctionalInterface
  interface OnBuilt<T> {
    void accept(T value, MappingNode node, ReadContext context);
  }

  /** A part of the record YAML cannot hold: {@code problem} says why, or null when there is none. */
  private record WriteCheck<T>(String field, Function<T, String> problem) {}

  /** Declares the fields of an {@link ObjectCodec}, in the order the file writes them. */
  static final class Builder<T> {
    private final String name;
    private final String description;
    private final List<Field<T>> fields = new ArrayList<>();
    private final List<OnBuilt<T>> onBuilt = new ArrayList<>();
    private final List<WriteCheck<T>> writeChecks = new ArrayList<>();
    private final List<OnBuilt<Void>> nodeChecks = new ArrayList<>();
    private T defaults;
    private String labelField;
    private Function<Object, String> label;
    private String modelPrefix;

    private Builder(String name, String description) {
      this.name = name;
      this.description = description;
    }

    /** The record whose values fields left out take; without it they take null. */
    Builder<T> defaults(T value) {
      this.defaults = value;
      return this;
    }

    /** A field that may be left out: it then takes its value in {@link #defaults}, or null. */
    <V> Builder<T> field(String field, Codec<V> codec, Function<T, V> getter, String doc, String... aliases) {
      V fallback = defaults == null ? null : getter.apply(defaults);
      return add(Field.of(field, codec, getter, doc, false, fallback, List.of(aliases)));
    }

    /** A field that may be left out, and then takes {@code fallback}. */
    <V> Builder<T> fieldWithDefault(String field, Codec<V> codec, Function<T, V> getter, V fallback,
        String doc) {
      return add(Field.of(field, codec, getter, doc, false, fallback, List.of()));
    }

    /** A field that must be there. */
    <V> Builder<T> required(String field, Codec<V> codec, Function<T, V> getter, String doc, String... aliases) {
      return add(Field.of(field, codec, getter, doc, true, null, List.of(aliases)));
    }

    /** Tells {@code listener} the value of the last field declared (null when it was wrong). */
    Builder<T> onValue(Field.Listener listener) {
      Field<T> last = fields.remove(fields.size() - 1);
      return add(last.withListener(listener));
    }

    /** Prefixes every error inside the record with {@code format} of field {@code field}'s value. */
    Builder<T> label(String field, Function<Object, String> format) {
      this.labelField = field;
      this.label = format;
      return this;
    }

    /** A prefix the model's messages put before this record's field names, such as "fault.". */
    Builder<T> modelPrefix(String prefix) {
      this.modelPrefix = prefix;
      return this;
    }

    /** Runs {@code hook} on each record read. */
    Builder<T> onBuilt(OnBuilt<T> hook) {
      onBuilt.add(hook);
      return this;
    }

    /** Runs {@code check} on the mapping before the record is made; it reports what it finds wrong. */
    Builder<T> check(OnBuilt<Void> check) {
      nodeChecks.add(check);
      return this;
    }

    /** Refuses to write a record for which {@code problem} says why (at field {@code field}). */
    Builder<T> cannotWrite(String field, Function<T, String> problem) {
      writeChecks.add(new WriteCheck<>(field, problem));
      return this;
    }

    /** The codec, making records with {@code construct}. */
    ObjectCodec<T> build(Function<Values, T> construct) {
      return new ObjectCodec<>(this, construct);
    }

    private Builder<T> add(Field<T> field) {
      fields.add(field);
      return this;
    }
  }
}
