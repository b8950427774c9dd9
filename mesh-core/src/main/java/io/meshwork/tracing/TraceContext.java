package io.meshwork.tracing;

import io.meshwork.MeshHeaders;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * The W3C Trace Context of one span: a 128-bit trace id, a 64-bit span id, the sampled flag and the
 * vendors' {@code tracestate}, as carried by the {@code traceparent} and {@code tracestate} headers.
 * Immutable; the hex forms are made once, on first use.
 */
public final class TraceContext {

  /** The header carrying version, trace id, parent span id and flags. */
  public static final String TRACEPARENT = "traceparent";
  /** The header carrying vendors' trace state. */
  public static final String TRACESTATE = "tracestate";

  /** The length of a version-00 {@code traceparent} value. */
  private static final int LENGTH = 55;
  /** W3C's limit: longer trace state may be dropped. */
  private static final int MAX_TRACESTATE = 512;
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private final long traceIdHigh;
  private final long traceIdLow;
  private final long spanId;
  private final boolean sampled;
  private final String traceState;
  private String traceparent;
  private String traceIdText;
  private String spanIdText;

  private TraceContext(long traceIdHigh, long traceIdLow, long spanId, boolean sampled, String traceState) {
    this.traceIdHigh = traceIdHigh;
    this.traceIdLow = traceIdLow;
    this.spanId = spanId;
    this.sampled = sampled;
    this.traceState = traceState == null || traceState.isEmpty() ? null : traceState;
  }

  /**
   * A context of the given ids; fails when the trace id or span id is zero (W3C's invalid ids).
   * {@code traceState} may be null.
   */
  public static TraceContext of(long traceIdHigh, long traceIdLow, long spanId, boolean sampled,
      String traceState) {
    if ((traceIdHigh == 0 && traceIdLow == 0) || spanId == 0) {
      throw new IllegalArgumentException("trace id " + hex(traceIdHigh) + hex(traceIdLow) + ", span id "
          + hex(spanId) + " (expected: not all zero)");
    }
    return new TraceContext(traceIdHigh, traceIdLow, spanId, sampled, traceState);
  }

  /**
   * The context a {@code traceparent} header carries, with {@code tracestate} (several header
   * values are joined with commas, as W3C says), or null when the {@code traceparent} is absent or
   * malformed: wrong length, not lower-case hex, version ff, or an all-zero trace or span id. A
   * malformed or over-long trace state is dropped, keeping the ids.
   */
  public static TraceContext parse(String traceparent, List<String> tracestate) {
    if (traceparent == null) {
      return null;
    }
    String value = traceparent.trim();
    if (value.length() < LENGTH || value.charAt(2) != '-' || value.charAt(35) != '-' || value.charAt(52) != '-') {
      return null;
    }
    int version = hexByte(value, 0);
    // Version 00 has exactly 55 characters; a later version may append fields after a dash.
    if (version < 0 || version == 0xff || (version == 0 && value.length() != LENGTH)
        || (value.length() > LENGTH && value.charAt(LENGTH) != '-')) {
      return null;
    }
    long high = hexLong(value, 3);
    long low = hexLong(value, 19);
    long span = hexLong(value, 36);
    int flags = hexByte(value, 53);
    if (high == -1 && !isHex(value, 3, 16) || low == -1 && !isHex(value, 19, 16)
        || span == -1 && !isHex(value, 36, 16) || flags < 0) {
      return null;
    }
    if ((high == 0 && low == 0) || span == 0) {
      return null;
    }
    return new TraceContext(high, low, span, (flags & 1) != 0, traceState(tracestate));
  }

  /**
   * The context the {@code traceparent} and {@code tracestate} fields of {@code headers} carry, or
   * null when there is no valid {@code traceparent} (see {@link #parse(String, List)}).
   */
  public static TraceContext parse(MeshHeaders headers) {
    String traceparent = headers.get(TRACEPARENT);
    if (traceparent == null) {
      return null; // the common case of a new trace: nothing more to read
    }
    String state = headers.get(TRACESTATE);
    return parse(traceparent, state == null ? List.of() : headers.getAll(TRACESTATE));
  }

  /** This context with another span id: a child span in the same trace, with the same flags and state. */
  public TraceContext withSpanId(long newSpanId) {
    if (newSpanId == 0) {
      throw new IllegalArgumentException("span id 0000000000000000 (expected: not all zero)");
    }
    return new TraceContext(traceIdHigh, traceIdLow, newSpanId, sampled, traceState);
  }

  /** The high 64 bits of the trace id. */
  public long traceIdHigh() {
    return traceIdHigh;
  }

  /** The low 64 bits of the trace id. */
  public long traceIdLow() {
    return traceIdLow;
  }

  /** The span id. */
  public long spanIdBits() {
    return spanId;
  }

  /** The trace id as 32 lower-case hex digits. */
  public String traceId() {
    String text = traceIdText;
    if (text == null) {
      text = traceparent().substring(3, 35);
      traceIdText = text; // racing threads make equal strings: harmless
    }
    return text;
  }

  /** The span id as 16 lower-case hex digits. */
  public String spanId() {
    String text = spanIdText;
    if (text == null) {
      text = traceparent().substring(36, 52);
      spanIdText = text;
    }
    return text;
  }

  /** Whether the trace is sampled (flag 01). */
  public boolean sampled() {
    return sampled;
  }

  /** The vendors' trace state, or null. */
  public String traceState() {
    return traceState;
  }

  /** The {@code traceparent} header value: {@code 00-<trace id>-<span id>-<flags>}. */
  public String traceparent() {
    String made = traceparent;
    if (made == null) {
      byte[] out = new byte[LENGTH]; // ASCII: the string keeps one Latin-1 copy, no char[] on the way
      out[0] = '0';
      out[1] = '0';
      out[2] = '-';
      fill(out, 3, traceIdHigh);
      fill(out, 19, traceIdLow);
      out[35] = '-';
      fill(out, 36, spanId);
      out[52] = '-';
      out[53] = '0';
      out[54] = (byte) (sampled ? '1' : '0');
      made = new String(out, StandardCharsets.ISO_8859_1);
      traceparent = made; // racing threads make equal strings: harmless
    }
    return made;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TraceContext other && traceIdHigh == other.traceIdHigh && traceIdLow == other.traceIdLow
        && spanId == other.spanId && sampled == other.sampled && Objects.equals(traceState, other.traceState);
  }

  @Override
  public int hashCode() {
    return Objects.hash(traceIdHigh, traceIdLow, spanId, sampled, traceState);
  }

  @Override
  public String toString() {
    return traceparent() + (traceState == null ? "" : " " + traceState);
  }

  private static String traceState(List<String> values) {
    if (values == null || values.isEmpty()) {
      return null;
    }
    String joined = values.size() == 1 ? values.get(0).trim() : String.join(",", values).trim();
    if (joined.isEmpty() || joined.length() > MAX_TRACESTATE) {
      return null;
    }
    for (int i = 0; i < joined.length(); i++) {
      char c = joined.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        return null;
      }
    }
    return joined;
  }

  private static void fill(byte[] out, int at, long value) {
    for (int i = 15; i >= 0; i--) {
      out[at + i] = HEX[(int) (value & 0xf)];
      value >>>= 4;
    }
  }

  private static String hex(long value) {
    byte[] out = new byte[16];
    fill(out, 0, value);
    return new String(out, StandardCharsets.ISO_8859_1);
  }

  /** Two lower-case hex digits at {@code at}, or -1. */
  private static int hexByte(String s, int at) {
    int high = digit(s.charAt(at));
    int low = digit(s.charAt(at + 1));
    return high < 0 || low < 0 ? -1 : high << 4 | low;
  }

  /** Sixteen lower-case hex digits at {@code at}; -1 also when not hex (see {@link #isHex}). */
  private static long hexLong(String s, int at) {
    long value = 0;
    for (int i = 0; i < 16; i++) {
      int d = digit(s.charAt(at + i));
      if (d < 0) {
        return -1;
      }
      value = value << 4 | d;
    }
    return value;
  }

  private static boolean isHex(String s, int at, int count) {
    for (int i = 0; i < count; i++) {
      if (digit(s.charAt(at + i)) < 0) {
        return false;
      }
    }
    return true;
  }

  /** W3C asks for lower-case hex: upper case is malformed. */
  private static int digit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    return -1;
  }
}
