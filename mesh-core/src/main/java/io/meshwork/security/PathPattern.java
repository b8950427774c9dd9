package io.meshwork.security;

/**
 * One compiled {@code to} path of a rule: exact ({@code /health}) or a prefix ({@code /admin/*},
 * which also matches {@code /admin} itself so that denying a subtree cannot be dodged by dropping
 * the slash). Only the part before any {@code ?} is matched.
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

  /** Whether {@code path} up to {@code end} (where its query starts) matches. */
  boolean matches(String path, int end) {
    if (!prefix) {
      return end == text.length() && path.regionMatches(0, text, 0, end);
    }
    if (end >= text.length()) {
      return path.regionMatches(0, text, 0, text.length());
    }
    return directory && end == text.length() - 1 && path.regionMatches(0, text, 0, end);
  }

  @Override
  public String toString() {
    return prefix ? text + "*" : text;
  }
}
