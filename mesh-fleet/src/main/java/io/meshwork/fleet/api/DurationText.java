package io.meshwork.fleet.api;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as the API writes them: a number with a unit, {@code 250ms}, {@code 5s}, {@code 1.5s},
 * {@code 2m}, {@code 1h}, as Go and Envoy users write them.
 */
public final class DurationText {

  private static final Pattern FORM = Pattern.compile("(\\d{1,9})(?:\\.(\\d{1,3}))?(ms|s|m|h)");
  private static final String EXPECTED = "a duration such as 250ms, 5s, 1.5s, 2m or 1h";

  private DurationText() {}

  /**
   * The duration {@code text} says; {@code field} names it in the error.
   *
   * @throws FieldError when it is not of that form, or is zero
   */
  public static Duration parse(String field, String text) {
    if (text == null) {
      throw new FieldError(field, null, EXPECTED);
    }
    Matcher m = FORM.matcher(text);
    if (!m.matches()) {
      throw new FieldError(field, text, EXPECTED);
    }
    long whole = Long.parseLong(m.group(1));
    String fraction = m.group(2) == null ? "" : m.group(2);
    long unitMillis = switch (m.group(3)) {
      case "ms" -> 1;
      case "s" -> 1_000;
      case "m" -> 60_000;
      default -> 3_600_000;
    };
    long fractionMillis = fraction.isEmpty() ? 0
        : Long.parseLong(fraction) * unitMillis / (long) Math.pow(10, fraction.length());
    Duration duration = Duration.ofMillis(whole * unitMillis + fractionMillis);
    if (duration.isZero()) {
      throw new FieldError(field, text, "a duration above zero");
    }
    return duration;
  }

  /** {@code duration} in the API's form: whole seconds as {@code 5s}, anything else as {@code 250ms}. */
  public static String format(Duration duration) {
    long millis = duration.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
  }
}
