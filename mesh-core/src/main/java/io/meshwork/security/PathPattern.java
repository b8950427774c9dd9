package io.meshwork.security;

/**
 * One compiled {@code to} path of a rule: exact ({@code /health}) or a prefix ({@code /admin/*},
 * which also matches {@code /admin} itself so that denying a subtree cannot be dodged by dropping
 * the slash). Only the part before any {@code ?} or {@code #} is matched.
 */
final class PathPattern {

  private final String text;
  private final boolean prefix;
  private final boolean directory;

  private PathPattern(String text, boolean prefix) {
    this.text = text;
    this.prefix = prefix;
    this.directory = prefix && text.length() > 1 && text.endsWith("/");
  }

  /** Compiles a path that {@link AuthorizationRule} has already validated. */
  static PathPattern compile(String path) {
    return path.endsWith("*")
        ? new PathPattern(path.substring(0, path.length() - 1), true)
        : new PathPattern(path, false);
  }

  /** Whether {@code path} up to {@code end} (see {@link #endOfPath}) matches. */
  boolean matches(String path, int end) {
    if (!prefix) {
      return end == text.length() && path.regionMatches(0, text, 0, end);
    }
    if (end >= text.length()) {
      return path.regionMatches(0, text, 0, text.length());
    }
    return directory && end == text.length() - 1 && path.regionMatches(0, text, 0, end);
  }

  /** Where the path proper ends: at the first {@code ?} or {@code #}, else at its length. */
  static int endOfPath(String path) {
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '?' || c == '#') {
        return i;
      }
    }
    return path.length();
  }

  /**
   * Whether {@code path} is in the canonical form rules are written against: starts with '/', has no
   * empty, '.' or '..' segments, no backslash and no percent-encoded '/', '.' or '\'. Anything else
   * could reach a denied resource under a name no rule matches, so it is refused instead.
   */
  static boolean isNormalized(String path, int end) {
    if (end == 0 || path.charAt(0) != '/') {
      return false;
    }
    for (int i = 0; i < end; i++) {
      char c = path.charAt(i);
      if (c == '\\') {
        return false;
      }
      if (c == '%' && i + 2 < end && isEncodedSeparatorOrDot(path.charAt(i + 1), path.charAt(i + 2))) {
        return false;
      }
      if (c == '/' && i > 0 && isDotSegmentOrEmpty(path, i + 1, end)) {
        return false;
      }
    }
    return !isDotSegmentOrEmpty(path, 1, end);
  }

  /** Whether the segment starting at {@code start} is "", "." or "..". */
  private static boolean isDotSegmentOrEmpty(String path, int start, int end) {
    int stop = start;
    while (stop < end && path.charAt(stop) != '/') {
      stop++;
    }
    int length = stop - start;
    if (length == 0) {
      // An empty last segment is a trailing slash, which is fine; an empty one inside is "//".
      return stop < end;
    }
    return (length == 1 && path.charAt(start) == '.')
        || (length == 2 && path.charAt(start) == '.' && path.charAt(start + 1) == '.');
  }

  private static boolean isEncodedSeparatorOrDot(char high, char low) {
    return (high == '2' && (low == 'e' || low == 'E' || low == 'f' || low == 'F'))
        || (high == '5' && (low == 'c' || low == 'C'));
  }

  @Override
  public String toString() {
    return prefix ? text + "*" : text;
  }
}
