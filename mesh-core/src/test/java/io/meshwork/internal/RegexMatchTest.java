package io.meshwork.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The literal-prefix prefilter never refuses a value the regex would match. */
class RegexMatchTest {

  @Test
  void theLiteralPrefixStopsAtTheFirstSpecialCharacterAndDropsAnOptionalLiteral() {
    assertThat(RegexMatch.literalPrefix("/orders/[0-9]+")).isEqualTo("/orders/");
    assertThat(RegexMatch.literalPrefix("/ab?c")).isEqualTo("/a");
    assertThat(RegexMatch.literalPrefix("/a*")).isEqualTo("/");
    assertThat(RegexMatch.literalPrefix("a{2}")).isEmpty();
    assertThat(RegexMatch.literalPrefix("(?i)/users")).isEmpty();
    assertThat(RegexMatch.literalPrefix("/a\\.b")).isEqualTo("/a");
    assertThat(RegexMatch.literalPrefix("/users|/people")).as("alternation: no certain prefix").isEmpty();
    assertThat(RegexMatch.literalPrefix("^/x")).isEmpty();
  }

  @Test
  void matchesTheWholeValueOrItsFirstCharacters() {
    RegexMatch orders = new RegexMatch("/orders/[0-9]+");
    assertThat(orders.matches("/orders/42")).isTrue();
    assertThat(orders.matches("/orders/42x")).isFalse();
    assertThat(orders.matches("/orders/42?x=1", "/orders/42".length())).isTrue();
    assertThat(orders.matches("/users/42")).isFalse();
    RegexMatch optional = new RegexMatch("/ab?c");
    assertThat(optional.matches("/ac")).isTrue();
    assertThat(optional.matches("/abc")).isTrue();
  }
}
