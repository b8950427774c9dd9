package io.meshwork.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The normal form is one form: reached in one step, recognised without allocating, spelling-blind. */
class PathNormalizerProperties {

  @Property(tries = 3000)
  void normalizingTwiceChangesNothing(@ForAll("targets") String target) {
    normalized(target).ifPresent(once -> assertThat(PathNormalizer.normalize(once)).isSameAs(once));
  }

  @Property(tries = 3000)
  void isNormalizedAgreesWithNormalize(@ForAll("targets") String target) {
    boolean fixedPoint = normalized(target).map(target::equals).orElse(false);
    assertThat(PathNormalizer.isNormalized(target)).isEqualTo(fixedPoint);
  }

  @Property(tries = 3000)
  void theNormalFormHasNoDotSegmentsDoubleSlashesOrEncodedUnreservedCharacters(@ForAll("targets") String target) {
    normalized(target).ifPresent(path -> {
      String beforeQuery = path.split("\\?", 2)[0];
      assertThat(beforeQuery).startsWith("/").doesNotContain("//").doesNotContain("/./").doesNotContain("/../")
          .doesNotEndWith("/.").doesNotEndWith("/..");
      assertThat(beforeQuery.toUpperCase(Locale.ROOT)).doesNotContain("%2E", "%41", "%61", "%7E", "%2D", "%5F");
    });
  }

  @Property(tries = 2000)
  void anySpellingOfAPathOfNamesNormalizesToThatPath(@ForAll("names") String path, @ForAll long seed) {
    java.util.Random random = new java.util.Random(seed);
    StringBuilder spelled = new StringBuilder();
    for (char c : path.toCharArray()) {
      if (c != '/' && random.nextInt(3) == 0) {
        String hex = String.format("%02x", (int) c);
        spelled.append('%').append(random.nextBoolean() ? hex : hex.toUpperCase(Locale.ROOT));
      } else {
        spelled.append(c);
        if (c == '/' && random.nextInt(4) == 0) {
          spelled.append(random.nextBoolean() ? "/" : "./");
        }
      }
    }
    assertThat(PathNormalizer.normalize(spelled.toString())).as(spelled.toString()).isEqualTo(path);
  }

  @Provide
  Arbitrary<String> targets() {
    return Arbitraries.strings().withChars("/.%2eEfFaA65c0;?~#\\x").ofMaxLength(16).map(tail -> "/" + tail);
  }

  @Provide
  Arbitrary<String> names() {
    Arbitrary<String> name = Arbitraries.strings().withCharRange('a', 'z').withChars("-_~0").ofMinLength(1)
        .ofMaxLength(6).filter(n -> !n.equals("~"));
    return name.list().ofMinSize(1).ofMaxSize(4).map(names -> "/" + String.join("/", names));
  }

  private static Optional<String> normalized(String target) {
    try {
      return Optional.of(PathNormalizer.normalize(target));
    } catch (IllegalArgumentException refused) {
      return Optional.empty();
    }
  }
}
