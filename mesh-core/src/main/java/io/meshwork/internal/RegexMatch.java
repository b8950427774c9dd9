package io.meshwork.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A compiled regular expression that must match a whole value, without allocating per check: a
 * value that does not start with the expression's literal prefix is refused before the regex runs,
 * and the regex runs on a matcher and a character view kept per thread and reset for each check.
 */
final class RegexMatch {

  private final Pattern pattern;
  private final String literalPrefix;
  private final ThreadLocal<Slot> slots;

  RegexMatch(String regex) {
    this.pattern = Pattern.compile(regex);
    this.literalPrefix = literalPrefix(regex);
    this.slots = ThreadLocal.withInitial(() -> new Slot(pattern));
  }

  /** Whether the whole of {@code value} matches. */
  boolean matches(String value) {
    return matches(value, value.length());
  }

  /** Whether {@code value}'s first {@code end} characters, as a whole, match. */
  boolean matches(String value, int end) {
    if (!value.startsWith(literalPrefix) || end < literalPrefix.length()) {
      return false;
    }
    Slot slot = slots.get();
    slot.view.of(value, end);
    try {
      return slot.matcher.reset(slot.view).matches();
    } finally {
      slot.view.of("", 0); // holds no request past the check
    }
  }

  /**
   * The characters every match must start with: the pattern's leading literals, stopping at the
   * first special character (and leaving out a literal a quantifier makes optional). Empty when
   * the pattern has an alternation anywhere, where no prefix is certain.
   */
  static String literalPrefix(String regex) {
    if (regex.indexOf('|') >= 0) {
      return "";
    }
    int end = 0;
    while (end < regex.length() && "\\[](){}.*+?^$".indexOf(regex.charAt(end)) < 0) {
      end++;
    }
    if (end < regex.length() && "*?{".indexOf(regex.charAt(end)) >= 0 && end > 0) {
      end--;
    }
    return regex.substring(0, end);
  }

  /** A matcher and the view it reads, reused by one thread. */
  private static final class Slot {
    final View view = new View();
    final Matcher matcher;

    Slot(Pattern pattern) {
      this.matcher = pattern.matcher("");
    }
  }

  /** The first {@code length} characters of a string, as a CharSequence, without copying. */
  private static final class View implements CharSequence {
    private String text = "";
    private int length;

    void of(String text, int length) {
      this.text = text;
      this.length = length;
    }

    @Override
    public int length() {
      return length;
    }

    @Override
    public char charAt(int index) {
      if (index >= length) {
        throw new IndexOutOfBoundsException(index);
      }
      return text.charAt(index);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return text.substring(start, end);
    }

    @Override
    public String toString() {
      return text.substring(0, length);
    }
  }
}
