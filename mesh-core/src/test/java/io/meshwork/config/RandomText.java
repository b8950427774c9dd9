package io.meshwork.config;

import io.meshwork.MeshHeaders;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** The random values {@link RandomConfigs} is made of: durations, names, tokens, and text YAML must quote. */
final class RandomText {

  private static final List<String> TRICKY = List.of("2", "true", "null", "~", "a: b", "# not a comment",
      "- item", "[x]", "{y}", "'quoted'", "\"double\"", " lead", "trail ", "ümlaut", "日本", "tab\there",
      "0x1F", "1e3", "yes", "back\\slash", "bell\u0007", "", "*", "&anchor", "!tag", "%", "@at", "`tick`");
  private static final String NAME_FIRST = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  private static final String NAME_REST = NAME_FIRST + "._-";
  private static final String TOKEN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-.^_`|~";

  private final Random random;

  RandomText(Random random) {
    this.random = random;
  }

  boolean chance() {
    return random.nextInt(3) != 0;
  }

  Duration duration() {
    return switch (random.nextInt(4)) {
      case 0 -> Duration.ZERO;
      case 1 -> Duration.ofMillis(random.nextInt(100_000));
      case 2 -> Duration.ofSeconds(random.nextInt(100_000));
      default -> Duration.ofNanos((long) (random.nextDouble() * 1e15));
    };
  }

  Duration positiveDuration() {
    Duration duration = duration();
    return duration.isZero() ? Duration.ofNanos(1 + random.nextInt(1000)) : duration;
  }

  String name() {
    StringBuilder name = new StringBuilder().append(NAME_FIRST.charAt(random.nextInt(NAME_FIRST.length())));
    for (int i = random.nextInt(12); i > 0; i--) {
      name.append(NAME_REST.charAt(random.nextInt(NAME_REST.length())));
    }
    return name.toString();
  }

  String token() {
    StringBuilder token = new StringBuilder();
    for (int i = 1 + random.nextInt(12); i > 0; i--) {
      token.append(TOKEN.charAt(random.nextInt(TOKEN.length())));
    }
    return token.toString();
  }

  /** Any text: a tricky one YAML must quote, or random code points. */
  String text() {
    if (random.nextBoolean()) {
      return pick(TRICKY);
    }
    StringBuilder text = new StringBuilder();
    for (int i = random.nextInt(10); i > 0; i--) {
      text.appendCodePoint(random.nextInt(4) == 0 ? 0x20 + random.nextInt(0x2fff) : 0x20 + random.nextInt(0x5f));
    }
    return text.toString();
  }

  String nonEmpty() {
    String text = text();
    return text.isBlank() ? "x" + text : text;
  }

  String headerValue() {
    String value = text();
    MeshHeaders.of("x", value);
    return value;
  }

  String[] some(List<String> values) {
    List<String> chosen = new ArrayList<>();
    for (String value : values) {
      if (random.nextInt(3) == 0) {
        chosen.add(value);
      }
    }
    return chosen.toArray(String[]::new);
  }

  <T> T pick(List<T> values) {
    return values.get(random.nextInt(values.size()));
  }

  <T> T pick(T[] values) {
    return values[random.nextInt(values.length)];
  }
}
