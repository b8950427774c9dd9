package io.meshwork.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The one form of a path that rules and handlers see, and what is refused rather than guessed at. */
class PathNormalizerTest {

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/", "/a/b", "/a/b/", "/a;v=1/b", "/c%3F/%E2%82%AC", "/~user/a-b_c.d", "/a?q=%2f&r=/../x",
      "/a:b@c!$&'()*+,=", "/...", "/.well-known/x", "/a%20b"})
  void aNormalizedPathIsReturnedAsItIs(String path) {
    assertThat(PathNormalizer.normalize(path)).isSameAs(path);
    assertThat(PathNormalizer.isNormalized(path)).isTrue();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "/%61dmin/secret, /admin/secret",
      "/%61%64%6D%69%6e, /admin",
      "/%7euser/a%2db%5F%2E, /~user/a-b_.",
      "/c%3f/%e2%82%ac, /c%3F/%E2%82%AC",
      "//a///b, /a/b",
      "/a/./b/../c, /a/c",
      "/../a, /a",
      "/a/b/., /a/b/",
      "/a/b/.., /a/",
      "/a/.., /",
      "/./, /",
      "//, /",
      "/a//?q=//, /a/?q=//",
      "/a/%2E%2Eb, /a/..b"})
  void aPathIsNormalizedOnce(String path, String normalized) {
    assertThat(PathNormalizer.normalize(path)).isEqualTo(normalized);
    assertThat(PathNormalizer.isNormalized(path)).isFalse();
    assertThat(PathNormalizer.isNormalized(normalized)).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "/a%2fb | holds an encoded '/' at index 2 (expected: none; it could name another path)",
      "/a%2Fb | holds an encoded '/' at index 2",
      "/a%5cb | holds an encoded '\\' at index 2",
      "/a%00 | holds an encoded NUL at index 2",
      "/a\\b | holds a backslash at index 2 (expected: '/' between segments)",
      "/a/%2e%2e/b | holds a '..' segment spelled with encodings at index 3 (expected: none)",
      "/a/%2E./b | holds a '..' segment spelled with encodings at index 3",
      "/a/.%2e | holds a '..' segment spelled with encodings at index 3",
      "/a/%2e/b | holds a '.' segment spelled with encodings at index 3",
      "/a/..;x/b | holds a dot segment with parameters at index 3 (expected: none)",
      "/a/.;x | holds a dot segment with parameters at index 3",
      "/%c0%ae%c0%ae/x | holds encoded bytes that are not UTF-8 at index 1 (expected: UTF-8 in its shortest form)",
      "/%e0%80%ae | holds encoded bytes that are not UTF-8 at index 1",
      "/%ed%a0%80 | holds encoded bytes that are not UTF-8 at index 1",
      "/%f4%90%80%80 | holds encoded bytes that are not UTF-8 at index 1",
      "/%e2%82 | holds encoded bytes that are not UTF-8 at index 1",
      "/%e2%82x | holds encoded bytes that are not UTF-8 at index 1",
      "/%80 | holds encoded bytes that are not UTF-8 at index 1",
      "/%ff | holds encoded bytes that are not UTF-8 at index 1",
      "/a% | holds a malformed percent-encoding at index 2 (expected: '%' and two hex digits)",
      "/a%4 | holds a malformed percent-encoding at index 2",
      "/a%zz | holds a malformed percent-encoding at index 2",
      "/a%4?x | holds a malformed percent-encoding at index 2",
      "/a#frag | holds a fragment '#' at index 2 (expected: none; a client never sends one)",
      "/a?q#frag | holds a fragment '#' at index 4",
      "/a b | holds ' ' at index 2 (expected: percent-encoded)",
      "/caf\u00e9 | holds '\\u00e9' at index 4 (expected: percent-encoded)",
      "/a{b} | holds '{' at index 2",
      "/a^b | holds '^' at index 2",
      "/a[0] | holds '[' at index 2",
      "/a\"b | holds '\"' at index 2"})
  void whatCouldNameAnotherPathIsRefused(String path, String why) {
    assertThatThrownBy(() -> PathNormalizer.normalize(path)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("path: " + JsonText.quote(path) + " " + why);
    assertThat(PathNormalizer.isNormalized(path)).isFalse();
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"", "a", "*", "?/a", "http://x/a"})
  void aTargetThatIsNoPathIsRefused(String target) {
    assertThatThrownBy(() -> PathNormalizer.normalize(target))
        .hasMessage("path: " + JsonText.quote(target) + " (expected: starts with '/')");
    assertThat(PathNormalizer.isNormalized(target)).isFalse();
  }
}
