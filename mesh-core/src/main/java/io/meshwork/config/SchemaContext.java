package io.meshwork.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** The JSON Schema definitions of the object types met so far: each is defined once and referenced. */
final class SchemaContext {

  private final Map<String, Object> definitions = new LinkedHashMap<>();

  /** A reference to definition {@code name}, made by {@code definition} the first time. */
  Map<String, Object> reference(String name, Supplier<Map<String, Object>> definition) {
    if (!definitions.containsKey(name)) {
      definitions.put(name, Map.of()); // reserved first: a type that contains itself ends here
      definitions.put(name, definition.get());
    }
    Map<String, Object> reference = new LinkedHashMap<>();
    reference.put("$ref", "#/definitions/" + name);
    return reference;
  }

  Map<String, Object> definitions() {
    return definitions;
  }
}
