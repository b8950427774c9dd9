package io.meshwork.docs;

import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the values the configuration reference writes: {@code 15 s}, {@code 10 MiB}, {@code 0.2},
 * {@code `Type.factory()`}, and {@code none} (an empty list or map, or no value).
 */
final class DocValue {

  private static final Pattern DURATION = Pattern.compile("^(\\d+(?:\\.\\d+)?)\\s*(ns|us|ms|s|min|h|d)\\b");
  private static final Pattern NUMBER = Pattern.compile("^-?\\d+(?:\\.\\d+)?(?:\\s*(KiB|MiB))?");
  private static final Pattern CALL = Pattern.compile("^`(\\w+)(\\.|::)(\\w+)(\\(\\))?`");
  private static final Pattern NAME = Pattern.compile("`(\\w+)`");
  private static final String[] PACKAGES = {"io.meshwork.policy.", "io.meshwork.resilience.",
      "io.meshwork.loadbalancer."};

  private DocValue() {}

  /** A duration as written: {@code 0}, {@code 250 ms}, {@code 10 s}, {@code 5 min}, {@code 1 h}. */
  static Duration duration(String text) {
    String t = text.trim();
    if (t.equals("0") || t.startsWith("0 ")) {
      return Duration.ZERO;
    }
    Matcher m = DURATION.matcher(t);
    if (!m.find()) {
      throw new IllegalArgumentException("not a duration: '" + text + "'");
    }
    double amount = Double.parseDouble(m.group(1));
    long unitNanos = switch (m.group(2)) {
      case "ns" -> 1L;
      case "us" -> 1_000L;
      case "ms" -> 1_000_000L;
      case "s" -> 1_000_000_000L;
      case "min" -> 60_000_000_000L;
      case "h" -> 3_600_000_000_000L;
      default -> 86_400_000_000_000L;
    };
    return Duration.ofNanos(Math.round(amount * unitNanos));
  }

  /** A number as written, {@code KiB} and {@code MiB} multiplied out. */
  static double number(String text) {
    Matcher m = NUMBER.matcher(text.trim());
    if (!m.find()) {
      throw new IllegalArgumentException("not a number: '" + text + "'");
    }
    String[] parts = m.group().split("\\s+");
    double value = Double.parseDouble(parts[0]);
    if (m.group(1) != null) {
      value *= m.group(1).equals("KiB") ? 1024 : 1024 * 1024;
    }
    return value;
  }

  /** The value {@code text} (a default cell) stands for, as an instance of the component's type. */
  static Object parse(String text, Type type) {
    Class<?> raw = type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
    String t = text.trim();
    if (raw == Duration.class) {
      return duration(t);
    }
    if (raw == int.class) {
      return (int) number(t);
    }
    if (raw == long.class) {
      return (long) number(t);
    }
    if (raw == double.class) {
      return number(t);
    }
    if (raw == boolean.class) {
      return Boolean.parseBoolean(t.split("\\s")[0]);
    }
    if (raw == String.class) {
      return unquote(t);
    }
    if (raw.isEnum()) {
      return enumConstant(raw, unquote(t));
    }
    if (raw == Set.class) {
      return set(t, ((ParameterizedType) type).getActualTypeArguments()[0]);
    }
    if (t.startsWith("none")) {
      // An empty collection, or no value at all for an optional part (a rate limit, say).
      return raw == List.class ? List.of() : raw == Map.class ? Map.of() : null;
    }
    Matcher call = CALL.matcher(t);
    if (call.find()) {
      return invoke(call.group(1), call.group(3), raw == Supplier.class);
    }
    throw new IllegalArgumentException("cannot read a " + raw.getSimpleName() + " from '" + text
        + "' (expected: a value, or `Type.factory()` / `Type::factory`)");
  }

  private static Object set(String text, Type element) {
    if (text.startsWith("none")) {
      return Set.of();
    }
    if (element instanceof Class<?> c && c.isEnum()) {
      @SuppressWarnings({"unchecked", "rawtypes"})
      EnumSet set = EnumSet.noneOf((Class) c);
      Matcher m = NAME.matcher(text);
      while (m.find()) {
        set.add(enumConstant(c, m.group(1)));
      }
      return set;
    }
    throw new IllegalArgumentException("cannot read a set of " + element + " from '" + text + "'");
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Object enumConstant(Class<?> type, String name) {
    return Enum.valueOf((Class) type, name);
  }

  private static Object invoke(String typeName, String method, boolean supplier) {
    for (String pkg : PACKAGES) {
      try {
        Method factory = Class.forName(pkg + typeName).getMethod(method);
        Object value = factory.invoke(null);
        // A supplier's default is compared by what it makes.
        return supplier ? value.getClass() : value;
      } catch (ClassNotFoundException e) {
        // try the next package
      } catch (ReflectiveOperationException e) {
        throw new IllegalArgumentException("cannot call " + typeName + "." + method + "()", e);
      }
    }
    throw new IllegalArgumentException("no type " + typeName + " in " + String.join(", ", PACKAGES));
  }

  static String unquote(String text) {
    return text.replace("`", "").split("\\s")[0];
  }
}
