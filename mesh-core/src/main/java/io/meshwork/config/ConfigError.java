package io.meshwork.config;

import java.util.Objects;

/**
 * One thing wrong with a configuration document: where it is (line and column, 1-based, 0 when the
 * problem has no place, such as an unreadable file), the field path
 * ({@code services.user-service.routes[1].route[0].weight}), and what is wrong with it, naming the
 * value and what was expected.
 *
 * @param source the document's name (a file path, an etcd key), or null when it has none
 * @param line the line, from 1; 0 when unknown
 * @param column the column, from 1; 0 when unknown
 * @param path the field path, empty for the document as a whole
 * @param message the value and what was expected, such as {@code -5 (expected: 0..1000000)}
 */
public record ConfigError(String source, int line, int column, String path, String message) {

  /** Checks the fields. */
  public ConfigError {
    if (line < 0 || column < 0) {
      throw new IllegalArgumentException("line, column: " + line + ", " + column + " (expected: >= 0)");
    }
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(message, "message");
  }

  /** The error as one line: {@code mesh.yaml:12:19: services.a.timeout: 'x' (expected: ...)}. */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder();
    if (source != null) {
      text.append(source).append(':');
    }
    if (line > 0) {
      text.append(line).append(':').append(column).append(':');
    }
    if (!text.isEmpty()) {
      text.append(' ');
    }
    if (!path.isEmpty()) {
      text.append(path).append(": ");
    }
    return text.append(message).toString();
  }
}
