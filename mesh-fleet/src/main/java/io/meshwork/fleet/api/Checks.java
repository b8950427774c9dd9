package io.meshwork.fleet.api;

import io.meshwork.registry.ServiceInstance;
import java.util.regex.Pattern;

/** The checks the request records share; each throws a {@link FieldError} naming the field. */
final class Checks {

  private static final Pattern IPV4 =
      Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
  private static final String NAME = "1..253 letters, digits, '.', '_' or '-', starting with a letter or digit";

  private Checks() {}

  static String name(String field, String value) {
    if (value == null) {
      throw new FieldError(field, null, NAME);
    }
    try {
      return ServiceInstance.checkName(field, value);
    } catch (IllegalArgumentException e) {
      throw new FieldError(field, value, NAME);
    }
  }

  /** A name, or {@code *} for any. */
  static String nameOrAny(String field, String value) {
    return "*".equals(value) ? value : name(field, value);
  }

  static String ip(String field, String value) {
    if (value == null || !(IPV4.matcher(value).matches() || (value.indexOf(':') >= 0 && IPV6.matcher(value).matches()))) {
      throw new FieldError(field, value, "an IPv4 or IPv6 address, such as 127.0.0.1");
    }
    return value;
  }

  static int between(String field, Integer value, int min, int max, Integer fallback) {
    if (value == null) {
      if (fallback == null) {
        throw new FieldError(field, null, "a whole number in " + min + ".." + max);
      }
      return fallback;
    }
    if (value < min || value > max) {
      throw new FieldError(field, value, "a whole number in " + min + ".." + max);
    }
    return value;
  }

  static String path(String field, String value) {
    if (value != null && (!value.startsWith("/") || value.length() > 2048 || value.chars().anyMatch(c -> c <= ' '))) {
      throw new FieldError(field, value, "a path starting with '/', without spaces");
    }
    return value;
  }

  static String oneOf(String field, String value, String fallback, String... allowed) {
    if (value == null) {
      if (fallback == null) {
        throw new FieldError(field, null, "one of " + String.join(", ", allowed));
      }
      return fallback;
    }
    for (String candidate : allowed) {
      if (candidate.equalsIgnoreCase(value)) {
        return candidate;
      }
    }
    throw new FieldError(field, value, "one of " + String.join(", ", allowed));
  }

  static String text(String field, String value, int maxLength) {
    if (value == null || value.isEmpty() || value.length() > maxLength || value.chars().anyMatch(c -> c < ' ')) {
      throw new FieldError(field, value, "1.." + maxLength + " printable characters");
    }
    return value;
  }
}
