package io.meshwork.internal.telemetry;

/**
 * HTTP methods as small indexes, and OpenTelemetry's rule that any other method is recorded as
 * {@code _OTHER}: a client sending made-up methods cannot grow the label's cardinality.
 */
public final class Methods {

  private static final String[] KNOWN = {"GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE",
      "PATCH", "_OTHER"};
  /** How many indexes there are. */
  public static final int COUNT = KNOWN.length;

  private Methods() {}

  /** The index of {@code method} (upper case, as requests keep it). */
  public static int index(String method) {
    switch (method) {
      case "GET": return 0;
      case "HEAD": return 1;
      case "POST": return 2;
      case "PUT": return 3;
      case "DELETE": return 4;
      case "CONNECT": return 5;
      case "OPTIONS": return 6;
      case "TRACE": return 7;
      case "PATCH": return 8;
      default: return 9;
    }
  }

  /** The label value of an index. */
  public static String name(int index) {
    return KNOWN[index];
  }
}
