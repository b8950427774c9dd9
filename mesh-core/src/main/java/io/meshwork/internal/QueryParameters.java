package io.meshwork.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads query parameters straight from a request target ({@code /path?a=1&b=x%20y}) without
 * splitting it: a parameter whose value needs no decoding is compared in place, allocating nothing.
 * Values are percent-decoded as UTF-8, with '+' as a space (the form encoding most clients use).
 */
final class QueryParameters {

  private QueryParameters() {}

  /**
   * Whether the first value of {@code name} equals {@code expected}; false when there is none. The
   * target's path ends at {@code pathEnd}, where its query starts if it has one.
   */
  static boolean firstEquals(String target, int pathEnd, String name, String expected) {
    int at = find(target, pathEnd, name);
    if (at < 0) {
      return false;
    }
    int end = valueEnd(target, at);
    if (needsDecoding(target, at, end)) {
      return expected.equals(decode(target, at, end));
    }
    return end - at == expected.length() && target.regionMatches(at, expected, 0, expected.length());
  }

  /** The first value of {@code name}, decoded; null when there is none ({@code pathEnd} as above). */
  static String first(String target, int pathEnd, String name) {
    int at = find(target, pathEnd, name);
    if (at < 0) {
      return null;
    }
    int end = valueEnd(target, at);
    return needsDecoding(target, at, end) ? decode(target, at, end) : target.substring(at, end);
  }

  /** Where the value of the first parameter named {@code name} starts; -1 when there is none. */
  private static int find(String target, int pathEnd, String name) {
    if (pathEnd >= target.length() || target.charAt(pathEnd) != '?') {
      return -1;
    }
    int start = pathEnd + 1;
    int length = target.length();
    while (start <= length) {
      int end = target.indexOf('&', start);
      if (end < 0) {
        end = length;
      }
      int equals = target.indexOf('=', start);
      int nameEnd = equals >= 0 && equals < end ? equals : end;
      if (nameEnd - start == name.length() && target.regionMatches(start, name, 0, name.length())) {
        return equals >= 0 && equals < end ? equals + 1 : end;
      }
      start = end + 1;
    }
    return -1;
  }

  private static int valueEnd(String target, int at) {
    int end = target.indexOf('&', at);
    int hash = target.indexOf('#', at);
    if (hash >= 0 && (end < 0 || hash < end)) {
      end = hash;
    }
    return end < 0 ? target.length() : end;
  }

  private static boolean needsDecoding(String target, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = target.charAt(i);
      if (c == '%' || c == '+') {
        return true;
      }
    }
    return false;
  }

  /** Percent-decodes as UTF-8; an invalid escape is kept as it is. */
  private static String decode(String target, int from, int to) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(to - from);
    int i = from;
    while (i < to) {
      char c = target.charAt(i);
      if (c == '+') {
        bytes.write(' ');
        i++;
      } else if (c == '%' && i + 2 < to && hex(target, i + 1) >= 0 && hex(target, i + 2) >= 0) {
        bytes.write(hex(target, i + 1) * 16 + hex(target, i + 2));
        i += 3;
      } else {
        int codePoint = target.codePointAt(i);
        byte[] encoded = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8);
        bytes.write(encoded, 0, encoded.length);
        i += Character.charCount(codePoint);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static int hex(String text, int at) {
    return at < text.length() ? Character.digit(text.charAt(at), 16) : -1;
  }
}
