package io.meshwork.config;

import io.meshwork.InvalidConfigurationException;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A configuration document was rejected as a whole: nothing of it applies. It carries every error
 * found in the document, in document order, each with its line, column, field path and message.
 */
public class InvalidConfigException extends InvalidConfigurationException {

  private final String source;
  private final List<ConfigError> errors;

  /** Rejects document {@code source} (may be null) for {@code errors} (at least one). */
  public InvalidConfigException(String source, List<ConfigError> errors) {
    this(source, errors, null);
  }

  /** Rejects document {@code source} for {@code errors}, caused by {@code cause}. */
  public InvalidConfigException(String source, List<ConfigError> errors, Throwable cause) {
    super(null, describe(source, sorted(errors)), cause);
    this.source = source;
    this.errors = sorted(errors);
  }

  /** The rejected document's name (a file, an etcd key), or null. */
  public String source() {
    return source;
  }

  /** Every error of the document (of each document, in name order), in document order; never empty. */
  public List<ConfigError> errors() {
    return errors;
  }

  private static List<ConfigError> sorted(List<ConfigError> errors) {
    Objects.requireNonNull(errors, "errors");
    if (errors.isEmpty()) {
      throw new IllegalArgumentException("errors: [] (expected: at least one)");
    }
    return errors.stream().sorted(Comparator.comparing(ConfigError::source,
            Comparator.nullsFirst(Comparator.<String>naturalOrder()))
        .thenComparingInt(ConfigError::line).thenComparingInt(ConfigError::column)).toList();
  }

  private static String describe(String source, List<ConfigError> errors) {
    StringBuilder text = new StringBuilder(source == null ? "configuration" : source)
        .append(" rejected, ").append(errors.size()).append(errors.size() == 1 ? " error:" : " errors:");
    for (ConfigError error : errors) {
      text.append("\n  ").append(error);
    }
    return text.toString();
  }
}
