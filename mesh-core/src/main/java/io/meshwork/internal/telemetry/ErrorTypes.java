package io.meshwork.internal.telemetry;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * OpenTelemetry's {@code error.type} of a failure: the exception's class name, each class given a
 * small index once so the hot path finds its series without building a string. Past
 * {@link #MAX} classes, failures share {@code _OTHER}, OpenTelemetry's fallback value, which keeps
 * the label's cardinality bounded whatever a handler throws.
 */
public final class ErrorTypes {

  /** How many distinct error types get an index; the last index is {@code _OTHER}. */
  public static final int MAX = 32;
  private static final int OTHER = MAX - 1;

  private static final AtomicInteger NEXT = new AtomicInteger();
  private static final AtomicReferenceArray<String> NAMES = new AtomicReferenceArray<>(MAX);
  private static final ClassValue<Integer> INDEX = new ClassValue<>() {
    @Override
    protected Integer computeValue(Class<?> type) {
      int index = NEXT.getAndIncrement();
      if (index >= OTHER) {
        return OTHER;
      }
      NAMES.set(index, type.getName());
      return index;
    }
  };

  static {
    NAMES.set(OTHER, "_OTHER");
  }

  private ErrorTypes() {}

  /** The index of {@code failure}'s type, 0..{@link #MAX}-1. */
  public static int index(Throwable failure) {
    return INDEX.get(failure.getClass());
  }

  /** The name of an index. */
  public static String name(int index) {
    return NAMES.get(index);
  }
}
