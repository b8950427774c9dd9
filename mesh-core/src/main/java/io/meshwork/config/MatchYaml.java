package io.meshwork.config;

import io.meshwork.MeshHeaders;
import io.meshwork.traffic.HeaderMatch;
import io.meshwork.traffic.QueryMatch;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The maps of {@code mesh.yaml} keyed by header or parameter name: header and query matches
 * ({@code headers: {version: beta}}), and the header fields a route sets or adds. The model keeps
 * them as lists; the file names each header once, so a list naming one twice cannot be written.
 */
final class MatchYaml {

  static final ChoiceCodec<Spec> HEADER_MATCH = ChoiceCodec.<Spec>of("HeaderMatch",
          "How one request header (its first value) matches.")
      .orScalar(Scalars.STRING, value -> new Spec(HeaderMatch.Kind.EXACT, value),
          spec -> spec.kind() == HeaderMatch.Kind.EXACT ? spec.value() : null, "The value equals it.")
      .or("exact", Scalars.STRING, value -> new Spec(HeaderMatch.Kind.EXACT, value), spec -> null,
          "The value equals it.")
      .or("prefix", Scalars.STRING, value -> new Spec(HeaderMatch.Kind.PREFIX, value),
          spec -> spec.value(HeaderMatch.Kind.PREFIX), "The value starts with it.")
      .or("regex", Scalars.STRING, value -> new Spec(HeaderMatch.Kind.REGEX,
              HeaderMatch.regex("header", value).value()),
          spec -> spec.value(HeaderMatch.Kind.REGEX), "The whole value matches it (java.util.regex).")
      .or("present", trueOnly(), present -> new Spec(HeaderMatch.Kind.PRESENT, ""),
          spec -> spec.kind() == HeaderMatch.Kind.PRESENT ? Boolean.TRUE : null, "The header is there: true.")
      .or("absent", trueOnly(), absent -> new Spec(HeaderMatch.Kind.ABSENT, ""),
          spec -> spec.kind() == HeaderMatch.Kind.ABSENT ? Boolean.TRUE : null, "The header is not there: true.");

  static final ChoiceCodec<Spec> QUERY_MATCH = ChoiceCodec.<Spec>of("QueryMatch",
          "How one query parameter (its first value, percent-decoded) matches.")
      .orScalar(Scalars.STRING, value -> new Spec(HeaderMatch.Kind.EXACT, value),
          spec -> spec.kind() == HeaderMatch.Kind.EXACT ? spec.value() : null, "The value equals it.")
      .or("exact", Scalars.STRING, value -> new Spec(HeaderMatch.Kind.EXACT, value), spec -> null,
          "The value equals it.")
      .or("regex", Scalars.STRING, value -> new Spec(HeaderMatch.Kind.REGEX,
              QueryMatch.regex("query", value).value()),
          spec -> spec.value(HeaderMatch.Kind.REGEX), "The whole value matches it (java.util.regex).");

  /** {@code headers:} of a match, as the list of {@link HeaderMatch}es the model keeps. */
  static final Codec<List<HeaderMatch>> HEADERS = new MapCodec<>("a header name", Scalars.HEADER_PATTERN,
      Scalars::headerName, HEADER_MATCH, false).map(MatchYaml::headerMatches, MatchYaml::headerSpecs);

  /** {@code query:} of a match, as the list of {@link QueryMatch}es the model keeps. */
  static final Codec<List<QueryMatch>> QUERY = new MapCodec<>("a parameter name", null,
      MatchYaml::parameterName, QUERY_MATCH, false).map(MatchYaml::queryMatches, MatchYaml::querySpecs);

  /** Header fields a route sets or adds: a header name to its value. */
  static final Codec<MeshHeaders> HEADER_FIELDS = new MapCodec<>("a header name", Scalars.HEADER_PATTERN,
      Scalars::headerName, Scalars.STRING.map(MatchYaml::headerValue, value -> value), false)
      .map(MatchYaml::headers, MatchYaml::fields);

  private MatchYaml() {}

  private static Codec<Boolean> trueOnly() {
    return Scalars.BOOLEAN.map(value -> {
      if (!value) {
        throw new IllegalArgumentException("false (expected: true; leave the match out instead)");
      }
      return true;
    }, value -> value);
  }

  private static String parameterName(String name) {
    if (name.isEmpty()) {
      throw new IllegalArgumentException("'' (expected: a parameter name)");
    }
    return name;
  }

  private static String headerValue(String value) {
    try {
      MeshHeaders.of("header", value); // refuses CR, LF and NUL
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + Nodes.printable(value) + "' "
          + e.getMessage().replaceFirst("^header header: value ", ""), e);
    }
    return value;
  }

  private static List<HeaderMatch> headerMatches(Map<String, Spec> specs) {
    List<HeaderMatch> matches = new ArrayList<>();
    specs.forEach((name, spec) -> matches.add(new HeaderMatch(name, spec.kind(), spec.value())));
    return matches;
  }

  private static Map<String, Spec> headerSpecs(List<HeaderMatch> matches) {
    Map<String, Spec> specs = new LinkedHashMap<>();
    for (HeaderMatch match : matches) {
      if (specs.put(match.name(), new Spec(match.kind(), match.value())) != null) {
        throw new IllegalArgumentException("two matches of header '" + match.name() + "' (expected: one per"
            + " header in a file; join them in one regex, or use two matches)");
      }
    }
    return specs;
  }

  private static List<QueryMatch> queryMatches(Map<String, Spec> specs) {
    List<QueryMatch> matches = new ArrayList<>();
    specs.forEach((name, spec) -> matches.add(new QueryMatch(name,
        spec.kind() == HeaderMatch.Kind.REGEX ? QueryMatch.Kind.REGEX : QueryMatch.Kind.EXACT, spec.value())));
    return matches;
  }

  private static Map<String, Spec> querySpecs(List<QueryMatch> matches) {
    Map<String, Spec> specs = new LinkedHashMap<>();
    for (QueryMatch match : matches) {
      Spec spec = new Spec(match.kind() == QueryMatch.Kind.REGEX ? HeaderMatch.Kind.REGEX : HeaderMatch.Kind.EXACT,
          match.value());
      if (specs.put(match.name(), spec) != null) {
        throw new IllegalArgumentException("two matches of query parameter '" + match.name() + "' (expected:"
            + " one per parameter in a file; join them in one regex, or use two matches)");
      }
    }
    return specs;
  }

  private static MeshHeaders headers(Map<String, String> fields) {
    MeshHeaders.Builder headers = MeshHeaders.builder();
    fields.forEach(headers::add);
    return headers.build();
  }

  private static Map<String, String> fields(MeshHeaders headers) {
    Map<String, String> fields = new LinkedHashMap<>();
    headers.forEach((name, value) -> {
      if (fields.put(name, value) != null) {
        throw new IllegalArgumentException("header '" + name + "' is added twice (expected: once per name"
            + " in a file)");
      }
    });
    return fields;
  }

  /** A match of one header or parameter, without its name (the map's key holds it). */
  record Spec(HeaderMatch.Kind kind, String value) {
    String value(HeaderMatch.Kind wanted) {
      return kind == wanted ? value : null;
    }
  }
}
