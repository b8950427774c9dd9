package io.meshwork;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Immutable HTTP header fields. Names are case-insensitive and kept in lower case (as HTTP/2 sends
 * them); order and repeated names are preserved. Names must be HTTP tokens and values must not hold
 * CR, LF or NUL, so a header can never smuggle another one onto the wire.
 */
public final class MeshHeaders {

  private static final MeshHeaders EMPTY = new MeshHeaders(new String[0]);

  /** name0, value0, name1, value1, ...; names in lower case. */
  private final String[] fields;

  private MeshHeaders(String[] fields) {
    this.fields = fields;
  }

  /** The headers with no field. */
  public static MeshHeaders empty() {
    return EMPTY;
  }

  /** Headers from alternating names and values: {@code of("accept", "text/plain", ...)}. */
  public static MeshHeaders of(String... namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException(
          "namesAndValues: " + namesAndValues.length + " strings (expected: name, value pairs)");
    }
    Builder builder = builder();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      builder.add(namesAndValues[i], namesAndValues[i + 1]);
    }
    return builder.build();
  }

  /** A builder of headers. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder that starts with these headers. */
  public Builder toBuilder() {
    Builder builder = new Builder();
    builder.fields.addAll(Arrays.asList(fields));
    return builder;
  }

  /**
   * These headers with the named field set to {@code value}, replacing its earlier values (as
   * {@link Builder#set}): one copy of the fields, no builder, for the call path's per-call headers.
   */
  public MeshHeaders with(String name, String value) {
    String key = Builder.checkName(name);
    String checked = Builder.checkValue(name, value);
    String[] copy = new String[fields.length - 2 * count(key) + 2];
    int end = copyExcept(key, copy);
    copy[end] = key;
    copy[end + 1] = checked;
    return new MeshHeaders(copy);
  }

  /** These headers without any field of the name; these same headers when there is none. */
  public MeshHeaders without(String name) {
    String key = name.toLowerCase(Locale.ROOT);
    int matches = count(key);
    if (matches == 0) {
      return this;
    }
    String[] copy = new String[fields.length - 2 * matches];
    copyExcept(key, copy);
    return copy.length == 0 ? EMPTY : new MeshHeaders(copy);
  }

  /** How many fields have the name {@code key} (lower case). */
  private int count(String key) {
    int count = 0;
    for (int i = 0; i < fields.length; i += 2) {
      if (fields[i].equals(key)) {
        count++;
      }
    }
    return count;
  }

  /** Copies every field not named {@code key} into {@code target}, in order; returns where it ended. */
  private int copyExcept(String key, String[] target) {
    int at = 0;
    for (int i = 0; i < fields.length; i += 2) {
      if (!fields[i].equals(key)) {
        target[at++] = fields[i];
        target[at++] = fields[i + 1];
      }
    }
    return at;
  }

  /** The first value of the named field, or {@code null} when there is none. */
  public String get(String name) {
    for (int i = 0; i < fields.length; i += 2) {
      if (fields[i].equalsIgnoreCase(name)) {
        return fields[i + 1];
      }
    }
    return null;
  }

  /** Every value of the named field, in order; empty when there is none. */
  public List<String> getAll(String name) {
    List<String> values = new ArrayList<>(1);
    for (int i = 0; i < fields.length; i += 2) {
      if (fields[i].equalsIgnoreCase(name)) {
        values.add(fields[i + 1]);
      }
    }
    return Collections.unmodifiableList(values);
  }

  /** Whether the named field is present. */
  public boolean contains(String name) {
    return get(name) != null;
  }

  /** The distinct field names, lower case, in first-seen order. */
  public Set<String> names() {
    Set<String> names = new LinkedHashSet<>();
    for (int i = 0; i < fields.length; i += 2) {
      names.add(fields[i]);
    }
    return Collections.unmodifiableSet(names);
  }

  /** Calls {@code action} with each name and value, in order. */
  public void forEach(BiConsumer<String, String> action) {
    for (int i = 0; i < fields.length; i += 2) {
      action.accept(fields[i], fields[i + 1]);
    }
  }

  /** The number of fields, counting repeated names. */
  public int size() {
    return fields.length / 2;
  }

  /** Whether there is no field. */
  public boolean isEmpty() {
    return fields.length == 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MeshHeaders other && Arrays.equals(fields, other.fields);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(fields);
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder("{");
    for (int i = 0; i < fields.length; i += 2) {
      text.append(i == 0 ? "" : ", ").append(fields[i]).append('=').append(fields[i + 1]);
    }
    return text.append('}').toString();
  }

  /** Builds {@link MeshHeaders}; every name and value is checked when it is added. */
  public static final class Builder {
    private final List<String> fields = new ArrayList<>();

    private Builder() {}

    /** Adds a field, keeping any earlier field of the same name. */
    public Builder add(String name, String value) {
      fields.add(checkName(name));
      fields.add(checkValue(name, value));
      return this;
    }

    /** Sets a field, removing any earlier field of the same name. */
    public Builder set(String name, String value) {
      remove(name);
      return add(name, value);
    }

    /** Removes every field of the name. */
    public Builder remove(String name) {
      for (int i = fields.size() - 2; i >= 0; i -= 2) {
        if (fields.get(i).equalsIgnoreCase(name)) {
          fields.remove(i + 1);
          fields.remove(i);
        }
      }
      return this;
    }

    /** Adds every field of {@code headers}. */
    public Builder addAll(MeshHeaders headers) {
      fields.addAll(Arrays.asList(headers.fields));
      return this;
    }

    /** The headers. */
    public MeshHeaders build() {
      return fields.isEmpty() ? EMPTY : new MeshHeaders(fields.toArray(new String[0]));
    }

    private static String checkName(String name) {
      if (name == null || name.isEmpty()) {
        throw new IllegalArgumentException("header name: '" + name + "' (expected: a non-empty token)");
      }
      for (int i = 0; i < name.length(); i++) {
        if (!isTokenChar(name.charAt(i))) {
          throw new IllegalArgumentException(
              "header name: '" + name + "' (expected: token characters only, see RFC 9110 5.6.2)");
        }
      }
      return name.toLowerCase(Locale.ROOT);
    }

    private static String checkValue(String name, String value) {
      if (value == null) {
        throw new IllegalArgumentException("header " + name + ": null value (expected: a string)");
      }
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        if (c == '\r' || c == '\n' || c == 0) {
          throw new IllegalArgumentException(
              "header " + name + ": value holds CR, LF or NUL at index " + i + " (expected: none)");
        }
      }
      return value;
    }

    private static boolean isTokenChar(char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }
  }
}
