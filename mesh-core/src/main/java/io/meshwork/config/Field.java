package io.meshwork.config;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One field of an {@link ObjectCodec}: its name in the file, its codec, where its value is in the
 * record, what it means (for the schema and the reference), and what it is when left out.
 *
 * @param name the field's name in the file
 * @param codec reads and writes its value
 * @param getter its value in the record (the file's view of it, which may group several components)
 * @param description what it means, one sentence or two
 * @param required whether the file must set it
 * @param defaultValue its value when left out (null: none)
 * @param aliases the names the model's messages use for it, such as {@code retry} for {@code retries}
 * @param listener hears its value as it is read, or null
 */
record Field<T>(String name, Codec<Object> codec, Function<T, Object> getter, String description,
    boolean required, Object defaultValue, List<String> aliases, Listener listener) {

  /** A field whose codec reads {@code V}s. */
  @SuppressWarnings("unchecked")
  static <T, V> Field<T> of(String name, Codec<V> codec, Function<T, V> getter, String description,
      boolean required, V defaultValue, List<String> aliases) {
    return new Field<>(name, (Codec<Object>) codec, (Function<T, Object>) getter, description, required,
        defaultValue, aliases, null);
  }

  Field<T> withListener(Listener value) {
    return new Field<>(name, codec, getter, description, required, defaultValue, aliases, value);
  }

  void notify(Object value, ReadContext context) {
    if (listener != null) {
      listener.accept(value, context);
    }
  }

  /**
   * The default as the file writes it, for the schema and the reference; null for none or for a
   * record (whose fields list their own).
   */
  Object writtenDefault() {
    if (defaultValue == null) {
      return null;
    }
    Object written = codec.write(defaultValue, new WriteContext(ConfigPath.ROOT, new ArrayList<>()));
    return written instanceof java.util.Map<?, ?> map && !(defaultValue instanceof java.util.Map<?, ?> && map.isEmpty())
        ? null : written;
  }

  /** Hears a field's value as it is read: the value, or null when it was wrong. */
  @FunctionalInterface
  interface Listener {
    void accept(Object value, ReadContext context);
  }
}
