package io.meshwork.traffic;

import java.util.Locale;
import java.util.Objects;

/**
 * How a route matches one request header (its first value): exactly, by prefix, by a regular
 * expression on the whole value, or by being present or absent.
 *
 * @param name the header name, case-insensitive
 * @param kind how it matches
 * @param value what it matches against; empty for present and absent
 */
public record HeaderMatch(String name, Kind kind, String value) {

  /** The ways a header can match. */
  public enum Kind {
    /** The value equals. */
    EXACT,
    /** The value starts with. */
    PREFIX,
    /** The whole value matches the regular expression. */
    REGEX,
    /** The header is there, whatever its value. */
    PRESENT,
    /** The header is not there. */
    ABSENT
  }

  /** Checks every field; names are kept in lower case. */
  public HeaderMatch {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("header name: '" + name + "' (expected: a header name)");
    }
    name = name.toLowerCase(Locale.ROOT);
    Objects.requireNonNull(kind, "kind");
    value = value == null ? "" : value;
    if (kind == Kind.REGEX) {
      PathMatch.compile("headers." + name + ".regex", value);
    }
  }

  /** The header equals {@code value}, such as {@code version: beta}. */
  public static HeaderMatch exact(String name, String value) {
    return new HeaderMatch(name, Kind.EXACT, Objects.requireNonNull(value, "value"));
  }

  /** The header starts with {@code prefix}. */
  public static HeaderMatch prefix(String name, String prefix) {
    return new HeaderMatch(name, Kind.PREFIX, Objects.requireNonNull(prefix, "prefix"));
  }

  /** The header's whole value matches {@code regex}. */
  public static HeaderMatch regex(String name, String regex) {
    return new HeaderMatch(name, Kind.REGEX, Objects.requireNonNull(regex, "regex"));
  }

  /** The header is present. */
  public static HeaderMatch present(String name) {
    return new HeaderMatch(name, Kind.PRESENT, "");
  }

  /** The header is absent. */
  public static HeaderMatch absent(String name) {
    return new HeaderMatch(name, Kind.ABSENT, "");
  }
}
