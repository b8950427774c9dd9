package io.meshwork.internal.telemetry;

/**
 * Writes one flat JSON object: enough for access log lines and the admin endpoint's small answers,
 * without a JSON library in the core. Strings are escaped so that no value can break out of its
 * field or forge a log line.
 */
public final class Json {

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final StringBuilder out;
  private boolean first = true;

  /** Starts an object in {@code out}. */
  public Json(StringBuilder out) {
    this.out = out;
    out.append('{');
  }

  /** Adds a string field; null becomes JSON null. */
  public Json field(String name, String value) {
    name(name);
    if (value == null) {
      out.append("null");
    } else {
      quote(out, value);
    }
    return this;
  }

  /** Adds a number field. */
  public Json field(String name, long value) {
    name(name).append(value);
    return this;
  }

  /** Adds a number field; NaN and infinities become null, which JSON has no number for. */
  public Json field(String name, double value) {
    name(name);
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      out.append("null");
    } else {
      out.append(value);
    }
    return this;
  }

  /** Adds a boolean field. */
  public Json field(String name, boolean value) {
    name(name).append(value);
    return this;
  }

  /** Adds a field whose value is JSON already written by the caller. */
  public Json raw(String name, String json) {
    name(name).append(json);
    return this;
  }

  /** Closes the object. */
  public StringBuilder end() {
    return out.append('}');
  }

  private StringBuilder name(String name) {
    if (!first) {
      out.append(',');
    }
    first = false;
    quote(out, name);
    return out.append(':');
  }

  /** Appends {@code text} as a JSON string. */
  public static void quote(StringBuilder out, String text) {
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20 || c == 0x7f || c == 0x2028 || c == 0x2029) {
        out.append("\\u").append(HEX[(c >> 12) & 0xf]).append(HEX[(c >> 8) & 0xf])
            .append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
      } else {
        out.append(c);
      }
    }
    out.append('"');
  }
}
