package io.meshwork.config;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as {@code mesh.yaml} writes them: one or more numbers, each with a unit ({@code ns},
 * {@code us}, {@code ms}, {@code s}, {@code m}, {@code h}), such as {@code 250ms}, {@code 2s},
 * {@code 1m30s} or {@code 1.5s}; never negative; at most about 292 years (a long of nanoseconds).
 */
final class Durations {

  /** The form a duration takes, for the JSON Schema. */
  static final String PATTERN = "^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$";

  private static final Pattern PART = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ns|us|µs|ms|s|m|h)");
  private static final BigInteger MAX_NANOS = BigInteger.valueOf(Long.MAX_VALUE);
  private static final String[] UNITS = {"h", "m", "s", "ms", "us", "ns"};
  private static final long[] UNIT_NANOS = {3_600_000_000_000L, 60_000_000_000L, 1_000_000_000L,
      1_000_000L, 1_000L, 1L};

  private Durations() {}

  /**
   * Parses {@code text}; throws {@link IllegalArgumentException} saying what is wrong (the caller
   * adds the value and what was expected).
   */
  static Duration parse(String text) {
    if (text.startsWith("-")) {
      throw new IllegalArgumentException("negative");
    }
    Matcher part = PART.matcher(text);
    BigDecimal nanos = BigDecimal.ZERO;
    int at = 0;
    while (at < text.length() && part.find(at) && part.start() == at) {
      nanos = nanos.add(new BigDecimal(part.group(1)).multiply(BigDecimal.valueOf(unitNanos(part.group(2)))));
      at = part.end();
    }
    if (at != text.length() || text.isEmpty()) {
      throw new IllegalArgumentException("not a duration");
    }
    BigInteger whole = nanos.toBigInteger();
    if (nanos.compareTo(new BigDecimal(whole)) != 0) {
      throw new IllegalArgumentException("finer than a nanosecond");
    }
    if (whole.compareTo(MAX_NANOS) > 0) {
      throw new IllegalArgumentException("too long");
    }
    return Duration.ofNanos(whole.longValueExact());
  }

  /**
   * {@code duration} in the largest unit that holds it exactly: {@code 250ms}, {@code 2s},
   * {@code 90s}, {@code 0s}. Throws {@link ArithmeticException} past a long of nanoseconds.
   */
  static String format(Duration duration) {
    long nanos = duration.toNanos();
    if (nanos == 0) {
      return "0s";
    }
    for (int i = 0; i < UNITS.length; i++) {
      if (nanos % UNIT_NANOS[i] == 0) {
        return nanos / UNIT_NANOS[i] + UNITS[i];
      }
    }
    throw new AssertionError("1 ns divides every duration");
  }

  private static long unitNanos(String unit) {
    return switch (unit) {
      case "h" -> UNIT_NANOS[0];
      case "m" -> UNIT_NANOS[1];
      case "s" -> UNIT_NANOS[2];
      case "ms" -> UNIT_NANOS[3];
      case "us", "µs" -> UNIT_NANOS[4];
      default -> UNIT_NANOS[5];
    };
  }
}
