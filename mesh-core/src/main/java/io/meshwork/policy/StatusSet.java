package io.meshwork.policy;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;

/**
 * An immutable set of HTTP status codes (100..599), written as a list of codes, ranges and classes:
 * {@code "5xx"}, {@code "502,503,504"}, {@code "500-503,429"}. Membership is one bit test.
 */
public final class StatusSet {

  private static final int MIN = 100;
  private static final int MAX = 599;
  private static final StatusSet NONE = new StatusSet(new BitSet());
  private static final StatusSet SERVER_ERRORS = range(500, 599);

  private final BitSet codes;

  private StatusSet(BitSet codes) {
    this.codes = codes;
  }

  /** No status. */
  public static StatusSet none() {
    return NONE;
  }

  /** Every 5xx status. */
  public static StatusSet serverErrors() {
    return SERVER_ERRORS;
  }

  /** The statuses given. */
  public static StatusSet of(int... statuses) {
    BitSet codes = new BitSet();
    for (int status : statuses) {
      codes.set(check(status, String.valueOf(status)));
    }
    return new StatusSet(codes);
  }

  /** The statuses from {@code first} to {@code last}, both included. */
  public static StatusSet range(int first, int last) {
    check(first, first + "-" + last);
    check(last, first + "-" + last);
    if (last < first) {
      throw new IllegalArgumentException("statuses: '" + first + "-" + last + "' (expected: first <= last)");
    }
    BitSet codes = new BitSet();
    codes.set(first, last + 1);
    return new StatusSet(codes);
  }

  /**
   * Parses a comma-separated list of codes ({@code 503}), ranges ({@code 500-504}) and classes
   * ({@code 5xx}); an empty string is the empty set.
   */
  public static StatusSet parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("statuses: null (expected: such as '5xx' or '502,503,504')");
    }
    BitSet codes = new BitSet();
    for (String part : text.split(",")) {
      String item = part.trim().toLowerCase(Locale.ROOT);
      if (item.isEmpty()) {
        continue;
      }
      try {
        if (item.length() == 3 && item.endsWith("xx") && item.charAt(0) >= '1' && item.charAt(0) <= '5') {
          int first = (item.charAt(0) - '0') * 100;
          codes.set(first, first + 100);
        } else if (item.indexOf('-') > 0) {
          int dash = item.indexOf('-');
          codes.or(range(Integer.parseInt(item.substring(0, dash).trim()),
              Integer.parseInt(item.substring(dash + 1).trim())).codes);
        } else {
          codes.set(check(Integer.parseInt(item), item));
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("statuses: '" + part.trim() + "' in '" + text
            + "' (expected: a code such as 503, a range such as 500-504 or a class such as 5xx)");
      }
    }
    return new StatusSet(codes);
  }

  /** Whether {@code status} is in the set. */
  public boolean contains(int status) {
    return status >= MIN && status <= MAX && codes.get(status);
  }

  /** Whether the set holds no status. */
  public boolean isEmpty() {
    return codes.isEmpty();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StatusSet other && codes.equals(other.codes);
  }

  @Override
  public int hashCode() {
    return codes.hashCode();
  }

  /** The set in the form {@link #parse} reads, classes and ranges folded: {@code "5xx,429"}. */
  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    int status = codes.nextSetBit(MIN);
    while (status >= 0 && status <= MAX) {
      int end = codes.nextClearBit(status) - 1;
      if (status % 100 == 0 && end >= status + 99) {
        parts.add(status / 100 + "xx");
        status = codes.nextSetBit(status + 100);
        continue;
      }
      parts.add(status == end ? String.valueOf(status) : status + "-" + end);
      status = codes.nextSetBit(end + 1);
    }
    return String.join(",", parts);
  }

  private static int check(int status, String item) {
    if (status < MIN || status > MAX) {
      throw new IllegalArgumentException("statuses: '" + item + "' (expected: codes in 100..599)");
    }
    return status;
  }
}
