package io.meshwork.traffic;

import java.util.Objects;

/**
 * How a route matches one query parameter (its first value, percent-decoded): exactly, or by a
 * regular expression on the whole value.
 *
 * @param name the parameter name, case-sensitive
 * @param kind how it matches
 * @param value what it matches against
 */
public record QueryMatch(String name, Kind kind, String value) {

  /** The ways a query parameter can match. */
  public enum Kind {
    /** The value equals. */
    EXACT,
    /** The whole value matches the regular expression. */
    REGEX
  }

  /** Checks every field. */
  public QueryMatch {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("query name: '" + name + "' (expected: a parameter name)");
    }
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(value, "value");
    if (kind == Kind.REGEX) {
      PathMatch.compile("query." + name + ".regex", value);
    }
  }

  /** The parameter equals {@code value}. */
  public static QueryMatch exact(String name, String value) {
    return new QueryMatch(name, Kind.EXACT, value);
  }

  /** The parameter's whole value matches {@code regex}. */
  public static QueryMatch regex(String name, String regex) {
    return new QueryMatch(name, Kind.REGEX, regex);
  }
}
