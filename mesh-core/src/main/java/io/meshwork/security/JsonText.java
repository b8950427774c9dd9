package io.meshwork.security;

/**
 * Quotes text as a JSON string, escaping quotes, backslashes, control characters and the JavaScript
 * line separators: the form of every value in an audit line and in an error body, so hostile input
 * can neither forge a log line nor break a body.
 */
public final class JsonText {

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private JsonText() {}

  /** {@code text} between double quotes, escaped. */
  public static String quote(String text) {
    StringBuilder out = new StringBuilder(text.length() + 2).append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (Character.isISOControl(c) || c == 0x2028 || c == 0x2029) {
        // Control characters and JavaScript line separators: a forged log line or a broken body.
        out.append("\\u").append(HEX[(c >> 12) & 0xf]).append(HEX[(c >> 8) & 0xf])
            .append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }
}
