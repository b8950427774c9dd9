package io.meshwork.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the messages of the model's own checks ({@code maxBackoff: PT0.1S (expected: >= initialBackoff
 * PT0.25S)}) into the words of the file: the field name is split off (the error's path names it), and
 * Java's duration form becomes the file's ({@code 100ms}).
 */
final class ModelMessages {

  /** A leading field name the model's messages start with: {@code retry.perTryTimeout: }. */
  private static final Pattern FIELD = Pattern.compile("^([A-Za-z][A-Za-z0-9_-]*(?:\\[\\d+])?"
      + "(?:\\.[A-Za-z0-9_-]+(?:\\[\\d+])?)*): ");
  /** Words naming a field before its value: {@code header name: 'x y' (expected: ...)}. */
  private static final Pattern WORDS = Pattern.compile("^[A-Za-z][A-Za-z ]*: (?=['\\[{0-9-]|null)");
  private static final Pattern JAVA_DURATION = Pattern.compile("-?PT[-0-9.HMS]+");

  private ModelMessages() {}

  /** The field name the message starts with ({@code retry.perTryTimeout}), or null. */
  static String field(String message) {
    Matcher matcher = FIELD.matcher(message);
    return matcher.find() ? matcher.group(1) : null;
  }

  /** The message without the field name it starts with, durations in the file's form. */
  static String withoutField(String message) {
    String text = durations(message);
    String field = field(text);
    if (field != null) {
      return text.substring(field.length() + 2);
    }
    Matcher words = WORDS.matcher(text);
    return words.find() ? text.substring(words.end()) : text;
  }

  /** The message with every Java duration ({@code PT0.25S}) written as the file writes it. */
  static String durations(String message) {
    if (message == null) {
      return "invalid";
    }
    Matcher matcher = JAVA_DURATION.matcher(message);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String replacement;
      try {
        Duration duration = Duration.parse(matcher.group());
        replacement = duration.isNegative() ? "-" + Durations.format(duration.negated())
            : Durations.format(duration);
      } catch (DateTimeParseException | ArithmeticException e) {
        replacement = matcher.group();
      }
      matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    matcher.appendTail(out);
    return out.toString();
  }
}
