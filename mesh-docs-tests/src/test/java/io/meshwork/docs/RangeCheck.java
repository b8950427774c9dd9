package io.meshwork.docs;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.Set;

/**
 * Tries a documented range on the record's validation: {@code 1..100}, {@code >= 0},
 * {@code > 0, <= interval}, or {@code —} for fields without one (booleans, enums, nested policies).
 * Each bound is tried on both sides, one step apart (1, one ULP, 1 ns); a one-sided range is also
 * tried with a very large value. A rejection must be an IllegalArgumentException naming the field.
 */
final class RangeCheck {

  private final Class<?> type;
  private final Object defaults;
  private final RecordComponent component;
  private final Class<?> valueType;
  private final String where;

  RangeCheck(Class<?> type, Object defaults, RecordComponent component, String where) {
    this.type = type;
    this.defaults = defaults;
    this.component = component;
    // A set of statuses is checked element by element.
    this.valueType = component.getGenericType().getTypeName().equals("java.util.Set<java.lang.Integer>")
        ? int.class : component.getType();
    this.where = where;
  }

  void check(String range) throws Exception {
    boolean bounded = valueType == int.class || valueType == long.class || valueType == double.class
        || valueType == Duration.class;
    if (range.equals("—")) {
      assertTrue(!bounded, where + ": a number or duration needs a range");
      return;
    }
    assertTrue(bounded, where + ": only numbers and durations have a range; write — for none");
    boolean upper = false;
    for (String condition : range.split(",\\s*")) {
      String c = condition.trim();
      if (c.contains("..")) {
        String[] ends = c.split("\\.\\.");
        atLeast(value(ends[0]), true);
        atMost(value(ends[1]));
        upper = true;
      } else if (c.startsWith(">=")) {
        atLeast(value(c.substring(2)), true);
      } else if (c.startsWith(">")) {
        atLeast(value(c.substring(1)), false);
      } else if (c.startsWith("<=")) {
        atMost(value(c.substring(2)));
        upper = true;
      } else {
        fail(where + ": cannot read the range condition '" + c + "'");
      }
    }
    if (!upper) {
      accepts(large(), "a large value");
    }
  }

  private void atLeast(Object bound, boolean inclusive) throws Exception {
    if (inclusive) {
      accepts(bound, "the lower bound");
      rejects(step(bound, -1), "just below the lower bound");
    } else {
      rejects(bound, "the excluded lower bound");
      accepts(step(bound, 1), "just above the lower bound");
    }
  }

  private void atMost(Object bound) throws Exception {
    accepts(bound, "the upper bound");
    rejects(step(bound, 1), "just above the upper bound");
  }

  /** A literal, or the default value of the field it names. */
  private Object value(String text) throws Exception {
    String t = text.trim().replace("`", "");
    if (t.matches("[a-z]\\w*")) {
      for (RecordComponent other : type.getRecordComponents()) {
        if (other.getName().equals(t)) {
          Object bound = other.getAccessor().invoke(defaults);
          // A bound of another numeric type (a long budget over an int limit) in this field's type.
          if (bound instanceof Number n && valueType == int.class) {
            return (int) Math.min(Integer.MAX_VALUE, n.longValue());
          }
          if (bound instanceof Number n && valueType == long.class) {
            return n.longValue();
          }
          return bound;
        }
      }
      fail(where + ": the range names '" + t + "', which is no field of " + type.getSimpleName());
    }
    if (valueType == Duration.class) {
      return DocValue.duration(t);
    }
    double number = DocValue.number(t);
    if (valueType == long.class) {
      return (long) number;
    }
    return valueType == int.class ? (Object) (int) number : (Object) number;
  }

  private Object step(Object value, int direction) {
    if (value instanceof Integer i) {
      return i + direction;
    }
    if (value instanceof Long l) {
      return l + direction;
    }
    if (value instanceof Double d) {
      return direction > 0 ? Math.nextUp(d) : Math.nextDown(d);
    }
    return ((Duration) value).plusNanos(direction);
  }

  private Object large() {
    if (valueType == int.class) {
      return Integer.MAX_VALUE;
    }
    if (valueType == long.class) {
      return Long.MAX_VALUE / 2;
    }
    return valueType == double.class ? (Object) 1e12 : Duration.ofDays(3650);
  }

  private void accepts(Object value, String what) throws Exception {
    try {
      make(value);
    } catch (IllegalArgumentException e) {
      fail(where + ": " + what + ", " + value + ", is documented as valid but rejected: " + e.getMessage());
    }
  }

  private void rejects(Object value, String what) throws Exception {
    try {
      make(value);
    } catch (IllegalArgumentException e) {
      assertTrue(e.getMessage().contains(component.getName()),
          where + ": the message for " + value + " must name the field: " + e.getMessage());
      return;
    }
    fail(where + ": " + what + ", " + value + ", is documented as invalid but accepted");
  }

  private void make(Object value) throws Exception {
    RecordComponent[] components = type.getRecordComponents();
    Object[] args = new Object[components.length];
    Class<?>[] types = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      types[i] = components[i].getType();
      args[i] = components[i].getName().equals(component.getName()) ? wrap(value) : components[i].getAccessor().invoke(defaults);
    }
    Constructor<?> canonical = type.getDeclaredConstructor(types);
    try {
      canonical.newInstance(args);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof IllegalArgumentException invalid) {
        throw invalid;
      }
      throw new AssertionError(where + ": " + value + " fails with " + e.getCause()
          + " instead of an IllegalArgumentException naming the field", e.getCause());
    }
  }

  private Object wrap(Object value) {
    return component.getType() == Set.class ? Set.of(value) : value;
  }
}
