package io.meshwork.registry;

/** Checks of the names that end up in registry keys, SPIFFE IDs and log lines. */
final class Names {

  private static final int MAX_LENGTH = 253;

  private Names() {}

  /** A service or namespace name: letters, digits, '.', '_' and '-', starting with a letter or digit. */
  static String checkName(String field, String value) {
    if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(field + ": '" + value + "' (expected: 1.." + MAX_LENGTH
          + " characters of [A-Za-z0-9._-])");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean ok = Character.isLetterOrDigit(c) && c < 128 || (i > 0 && (c == '.' || c == '_' || c == '-'));
      if (!ok) {
        throw new IllegalArgumentException(field + ": '" + value + "' (expected: [A-Za-z0-9] then"
            + " [A-Za-z0-9._-], no '" + c + "')");
      }
    }
    return value;
  }

  /** A free-form token such as an instance id or host: printable, no space, no '/'. */
  static String checkToken(String field, String value) {
    if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(field + ": '" + value + "' (expected: 1.." + MAX_LENGTH
          + " printable characters)");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c <= ' ' || c == '/' || c == 0x7f) {
        throw new IllegalArgumentException(field + ": '" + value + "' (expected: no space, control"
            + " character or '/')");
      }
    }
    return value;
  }
}
