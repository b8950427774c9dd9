package io.meshwork.security;

import java.util.ArrayList;
import java.util.List;

/**
 * The one form of a request path that authorization rules and the handler both see, so that no
 * spelling of a path can reach a resource a rule denies under its plain name. It follows RFC 3986
 * section 6 and Envoy's {@code normalize_path} with {@code merge_slashes}:
 * <ul>
 *   <li>percent-encoded unreserved characters (letters, digits, {@code - . _ ~}) are decoded:
 *       {@code /%61dmin} is {@code /admin};
 *   <li>every other percent-encoding stays encoded, with upper-case hex digits: {@code %3f} is
 *       {@code %3F}, {@code %e2%82%ac} is {@code %E2%82%AC};
 *   <li>runs of {@code /} become one, and {@code .} and {@code ..} segments are resolved
 *       (RFC 3986 5.2.4; {@code ..} never climbs above the root);
 *   <li>the query, from the first {@code ?}, is kept exactly as it came.
 * </ul>
 * Refused, because some server or library behind the handler could read them as another path:
 * an encoded {@code /} ({@code %2F}) or {@code \} ({@code %5C}), a raw {@code \}, a {@code .} or
 * {@code ..} segment spelled with encodings ({@code %2e%2e}), a dot segment with parameters
 * ({@code ..;x}, which servlet containers read as {@code ..}), an encoded NUL, encoded bytes that are
 * not UTF-8 (overlong forms such as {@code %C0%AE} among them), a malformed encoding, any character
 * RFC 3986 does not allow in a path (space, non-ASCII, {@code " < > ^ ` { | } [ ]}), and a
 * fragment: {@code #} never belongs to a request target. A {@code ;} is an ordinary character of a
 * segment: {@code /a;v=1/b} stays as it is, and a rule for {@code /a/*} does not match it.
 */
public final class PathNormalizer {

  private static final String HEX = "0123456789ABCDEF";

  private PathNormalizer() {}

  /**
   * The normalized form of {@code target} (a path with an optional query): {@code target} itself
   * when it is already normalized, so the common case allocates nothing.
   *
   * @throws IllegalArgumentException naming the index and what was expected, when it is refused
   */
  public static String normalize(String target) {
    if (isNormalized(target)) {
      return target;
    }
    return rewrite(target);
  }

  /** Whether {@code target} is valid and already in normalized form; allocates nothing. */
  public static boolean isNormalized(String target) {
    if (target == null || target.isEmpty() || target.charAt(0) != '/' || target.indexOf('#') >= 0) {
      return false;
    }
    int end = endOfPath(target);
    int segmentStart = 1;
    for (int i = 0; i < end; i++) {
      char c = target.charAt(i);
      if (c == '/') {
        if (i > 0 && (isDotSegment(target, segmentStart, i) || target.charAt(i - 1) == '/')) {
          return false;
        }
        segmentStart = i + 1;
      } else if (c == '%') {
        int length = encodedLength(target, i, end, true);
        if (length < 0) {
          return false;
        }
        i += length - 1;
      } else if (!isPathChar(c)) {
        return false;
      }
    }
    return !isDotSegment(target, segmentStart, end);
  }

  /** Where the path proper ends: at the first {@code ?}, else at the end. */
  static int endOfPath(String target) {
    int query = target.indexOf('?');
    return query < 0 ? target.length() : query;
  }

  /**
   * In normalized form, the length of the encoding at {@code at} (3 per byte, a whole UTF-8
   * sequence at once), or -1 when it is not in that form: lower-case hex, an unreserved character,
   * a byte that is refused, or not UTF-8.
   */
  private static int encodedLength(String target, int at, int end, boolean upperCaseOnly) {
    int first = byteAt(target, at, end, upperCaseOnly);
    if (first < 0 || first == 0 || first == '/' || first == '\\' || (first < 0x80 && isUnreserved(first))) {
      return -1;
    }
    int continuations = utf8Continuations(first);
    if (continuations < 0) {
      return -1;
    }
    for (int k = 1; k <= continuations; k++) {
      int next = byteAt(target, at + 3 * k, end, upperCaseOnly);
      if (next < 0 || !isContinuation(first, k, next)) {
        return -1;
      }
    }
    return 3 * (continuations + 1);
  }

  /** The byte encoded at {@code at} as {@code %XX}, or -1 when there is none there. */
  private static int byteAt(String target, int at, int end, boolean upperCaseOnly) {
    if (at + 2 >= end || target.charAt(at) != '%') {
      return -1;
    }
    int high = hexValue(target.charAt(at + 1), upperCaseOnly);
    int low = hexValue(target.charAt(at + 2), upperCaseOnly);
    return high < 0 || low < 0 ? -1 : (high << 4) | low;
  }

  private static String rewrite(String target) {
    if (target == null || target.isEmpty() || target.charAt(0) != '/') {
      throw new IllegalArgumentException("path: " + (target == null ? "null" : JsonText.quote(target))
          + " (expected: starts with '/')");
    }
    int fragment = target.indexOf('#');
    if (fragment >= 0) {
      throw refused(target, fragment, "holds a fragment '#'", "none; a client never sends one");
    }
    int end = endOfPath(target);
    List<String> segments = new ArrayList<>();
    boolean trailingSlash = false;
    int start = 1;
    while (start <= end) {
      int stop = target.indexOf('/', start);
      if (stop < 0 || stop > end) {
        stop = end;
      }
      String segment = decodeSegment(target, start, stop);
      boolean last = stop == end;
      if (segment.equals("..")) {
        if (!segments.isEmpty()) {
          segments.remove(segments.size() - 1);
        }
      } else if (!segment.isEmpty() && !segment.equals(".")) {
        segments.add(segment);
      }
      trailingSlash = last && (segment.isEmpty() || segment.equals(".") || segment.equals(".."));
      start = stop + 1;
    }
    StringBuilder out = new StringBuilder(target.length());
    for (String segment : segments) {
      out.append('/').append(segment);
    }
    if (segments.isEmpty() || trailingSlash) {
      out.append('/');
    }
    return out.append(target, end, target.length()).toString();
  }

  /** One segment in normalized form; refuses what the class comment lists. */
  private static String decodeSegment(String target, int start, int stop) {
    StringBuilder out = new StringBuilder(stop - start);
    boolean encodedDot = false;
    for (int i = start; i < stop; i++) {
      char c = target.charAt(i);
      if (c == '%') {
        int value = byteAt(target, i, stop, false);
        if (value < 0) {
          throw refused(target, i, "holds a malformed percent-encoding", "'%' and two hex digits");
        }
        if (value == 0 || value == '/' || value == '\\') {
          throw refused(target, i, "holds an encoded " + (value == 0 ? "NUL" : "'" + (char) value + "'"),
              "none; it could name another path");
        }
        if (value < 0x80 && isUnreserved(value)) {
          encodedDot |= value == '.';
          out.append((char) value);
          i += 2;
          continue;
        }
        int length = encodedLength(target, i, stop, false);
        if (length < 0) {
          throw refused(target, i, "holds encoded bytes that are not UTF-8", "UTF-8 in its shortest form");
        }
        for (int k = i; k < i + length; k += 3) {
          int b = byteAt(target, k, stop, false);
          out.append('%').append(HEX.charAt(b >> 4)).append(HEX.charAt(b & 0xf));
        }
        i += length - 1;
      } else if (c == '\\') {
        throw refused(target, i, "holds a backslash", "'/' between segments");
      } else if (isPathChar(c)) {
        out.append(c);
      } else {
        throw refused(target, i, "holds '" + printable(c) + "'", "percent-encoded");
      }
    }
    String segment = out.toString();
    boolean dots = segment.equals(".") || segment.equals("..");
    if (dots && encodedDot) {
      throw refused(target, start, "holds a '" + segment + "' segment spelled with encodings", "none");
    }
    if (segment.startsWith(".;") || segment.startsWith("..;")) {
      throw refused(target, start, "holds a dot segment with parameters", "none");
    }
    return segment;
  }

  /** Whether the raw segment [start, stop) is ".", "..", or a dot segment with parameters. */
  private static boolean isDotSegment(String target, int start, int stop) {
    int dots = 0;
    while (start + dots < stop && target.charAt(start + dots) == '.') {
      dots++;
    }
    if (dots == 0 || dots > 2) {
      return false;
    }
    return start + dots == stop || target.charAt(start + dots) == ';';
  }

  private static int utf8Continuations(int first) {
    if (first < 0x80) {
      return 0;
    }
    if (first >= 0xC2 && first <= 0xDF) {
      return 1;
    }
    if (first >= 0xE0 && first <= 0xEF) {
      return 2;
    }
    if (first >= 0xF0 && first <= 0xF4) {
      return 3;
    }
    return -1; // a continuation byte first, C0 and C1 (always overlong), or past U+10FFFF
  }

  /** Whether {@code b} may be continuation byte {@code k} after {@code first} (RFC 3629 4). */
  private static boolean isContinuation(int first, int k, int b) {
    if (k == 1) {
      switch (first) {
        case 0xE0: return b >= 0xA0 && b <= 0xBF; // shorter forms would be overlong
        case 0xED: return b >= 0x80 && b <= 0x9F; // surrogates
        case 0xF0: return b >= 0x90 && b <= 0xBF;
        case 0xF4: return b >= 0x80 && b <= 0x8F; // past U+10FFFF
        default: break;
      }
    }
    return b >= 0x80 && b <= 0xBF;
  }

  private static int hexValue(char c, boolean upperCaseOnly) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    if (!upperCaseOnly && c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    return -1;
  }

  private static boolean isUnreserved(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || c == '-' || c == '.' || c == '_' || c == '~';
  }

  /** A character RFC 3986 allows unencoded in a path segment: unreserved, sub-delims, ':' and '@'. */
  private static boolean isPathChar(char c) {
    if (isUnreserved(c)) {
      return true;
    }
    switch (c) {
      case '!', '$', '&', '\'', '(', ')', '*', '+', ',', ';', '=', ':', '@':
        return true;
      default:
        return false;
    }
  }

  private static String printable(char c) {
    return c < 0x20 || c >= 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c);
  }

  private static IllegalArgumentException refused(String target, int index, String what, String expected) {
    return new IllegalArgumentException("path: " + JsonText.quote(target) + " " + what + " at index " + index
        + " (expected: " + expected + ")");
  }
}
