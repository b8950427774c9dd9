package io.meshwork.traffic;

import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * How a route matches the request's path (the part before any {@code ?}): exactly, by prefix, or by
 * a regular expression that must match the whole path.
 *
 * @param kind exact, prefix or regex
 * @param value the path, the prefix or the regular expression
 */
public record PathMatch(Kind kind, String value) {

  /** The ways a path can match. */
  public enum Kind {
    /** The path equals the value. */
    EXACT,
    /** The path starts with the value. */
    PREFIX,
    /** The whole path matches the value as a regular expression ({@link java.util.regex.Pattern}). */
    REGEX
  }

  /** Checks the value: a path starts with '/', a regex compiles. */
  public PathMatch {
    Objects.requireNonNull(kind, "kind");
    if (value == null) {
      throw new IllegalArgumentException("path: null (expected: a path such as /users)");
    }
    if (kind != Kind.REGEX && !value.startsWith("/")) {
      throw new IllegalArgumentException("path." + kind.name().toLowerCase(java.util.Locale.ROOT) + ": '" + value
          + "' (expected: starts with '/')");
    }
    if (kind == Kind.REGEX) {
      compile("path.regex", value);
    }
  }

  /** The path equals {@code path}. */
  public static PathMatch exact(String path) {
    return new PathMatch(Kind.EXACT, path);
  }

  /** The path starts with {@code prefix}. */
  public static PathMatch prefix(String prefix) {
    return new PathMatch(Kind.PREFIX, prefix);
  }

  /** The whole path matches {@code regex}. */
  public static PathMatch regex(String regex) {
    return new PathMatch(Kind.REGEX, regex);
  }

  /** Compiles {@code regex}, failing with a message that names {@code field} and the regex's error. */
  static Pattern compile(String field, String regex) {
    try {
      return Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(field + ": '" + regex + "' is not a regular expression ("
          + e.getDescription() + " near index " + e.getIndex() + ")");
    }
  }
}
