package io.meshwork.internal.telemetry;

/** Status codes as label values, made once so that recording never formats a number. */
public final class Statuses {

  /** Statuses run from 100 to 599: 500 of them. */
  public static final int COUNT = 500;
  private static final String[] TEXT = new String[COUNT];

  static {
    for (int i = 0; i < COUNT; i++) {
      TEXT[i] = Integer.toString(100 + i);
    }
  }

  private Statuses() {}

  /** The index of {@code status} (100..599). */
  public static int index(int status) {
    return status - 100;
  }

  /** The text of a status index. */
  public static String text(int index) {
    return TEXT[index];
  }
}
