package io.meshwork.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.CallOptions;
import io.meshwork.MeshRequest;
import io.meshwork.traffic.HeaderMatch;
import io.meshwork.traffic.PathMatch;
import io.meshwork.traffic.QueryMatch;
import io.meshwork.traffic.RouteDestination;
import io.meshwork.traffic.RouteMatch;
import io.meshwork.traffic.RouteRule;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The compiled matcher against a plain reference model, over random rules and requests. */
class RouteMatchingProperties {

  private static final List<String> PATHS = List.of("/", "/users", "/users/", "/users/42", "/users/me",
      "/orders/7", "/orders/x", "/a%2Fb");
  private static final List<String> VALUES = List.of("beta", "v1", "b", "", "bet", "x y");
  private static final List<String> HEADERS = List.of("version", "x-user", "x-env");

  @Property(tries = 1500)
  void theFirstRuleTheReferenceMatchesIsTheOneChosen(@ForAll("rules") List<RouteRule> rules,
      @ForAll("requests") MeshRequest request) {
    Targets none = (service, subset) -> null;
    List<CompiledRule> compiled = new ArrayList<>();
    for (RouteRule rule : rules) {
      compiled.add(new CompiledRule(rule, none, 0, (mirror, route) -> null));
    }
    String chosen = null;
    for (CompiledRule rule : compiled) {
      if (rule.match(request, CompiledMatch.pathEnd(request.path())) >= 0) {
        chosen = rule.rule.name();
        break;
      }
    }
    String expected = null;
    for (RouteRule rule : rules) {
      if (rule.matches().isEmpty() || rule.matches().stream().anyMatch(match -> reference(match, request))) {
        expected = rule.name();
        break;
      }
    }
    assertThat(chosen).isEqualTo(expected);
  }

  @Property(tries = 1000)
  void aSplitNeverPicksADestinationOfWeightZero(@ForAll("weights") List<Integer> weights, @ForAll long seed) {
    if (weights.stream().mapToInt(Integer::intValue).sum() == 0) {
      return;
    }
    RouteRule.Builder builder = RouteRule.builder("split");
    for (int i = 0; i < weights.size(); i++) {
      builder.destination(new RouteDestination("svc", "s" + i, weights.get(i)));
    }
    CompiledRule rule = new CompiledRule(builder.build(), (service, subset) -> null, 0, (mirror, route) -> null);
    Random random = new Random(seed);
    for (int i = 0; i < 200; i++) {
      CallOptions options = i % 2 == 0 ? CallOptions.none() : CallOptions.builder().hashKey("k" + random.nextInt()).build();
      RouteDecision decision = rule.pick(MeshRequest.get("/"), options, random);
      int index = Integer.parseInt(decision.subset().substring(1));
      assertThat(weights.get(index)).isPositive();
    }
  }

  /** The match, evaluated the plain way: split the target, decode the query, compare. */
  private static boolean reference(RouteMatch match, MeshRequest request) {
    String target = request.path();
    int question = target.indexOf('?');
    String path = question < 0 ? target : target.substring(0, question);
    Map<String, String> query = new LinkedHashMap<>();
    if (question >= 0) {
      for (String pair : target.substring(question + 1).split("&")) {
        int equals = pair.indexOf('=');
        String name = equals < 0 ? pair : pair.substring(0, equals);
        String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
        query.putIfAbsent(name, value);
      }
    }
    if (match.method() != null && !match.method().equals(request.method())) {
      return false;
    }
    PathMatch pathMatch = match.path();
    if (pathMatch != null) {
      boolean ok = switch (pathMatch.kind()) {
        case EXACT -> path.equals(pathMatch.value());
        case PREFIX -> path.startsWith(pathMatch.value());
        case REGEX -> Pattern.matches(pathMatch.value(), path);
      };
      if (!ok) {
        return false;
      }
    }
    for (HeaderMatch header : match.headers()) {
      String value = request.header(header.name());
      boolean ok = switch (header.kind()) {
        case EXACT -> header.value().equals(value);
        case PREFIX -> value != null && value.startsWith(header.value());
        case REGEX -> value != null && Pattern.matches(header.value(), value);
        case PRESENT -> value != null;
        case ABSENT -> value == null;
      };
      if (!ok) {
        return false;
      }
    }
    for (QueryMatch parameter : match.query()) {
      String value = query.get(parameter.name());
      boolean ok = value != null && (parameter.kind() == QueryMatch.Kind.EXACT ? parameter.value().equals(value)
          : Pattern.matches(parameter.value(), value));
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  @Provide
  Arbitrary<List<RouteRule>> rules() {
    Arbitrary<PathMatch> path = Arbitraries.oneOf(
        Arbitraries.of(PATHS).map(PathMatch::exact),
        Arbitraries.of("/", "/users", "/users/", "/orders").map(PathMatch::prefix),
        Arbitraries.of("/users/[0-9]+", "/orders/.*", "/[a-z]+").map(PathMatch::regex));
    Arbitrary<HeaderMatch> header = Combinators.combine(Arbitraries.of(HEADERS), Arbitraries.of(VALUES),
        Arbitraries.of(HeaderMatch.Kind.class)).as((name, value, kind) -> switch (kind) {
          case EXACT -> HeaderMatch.exact(name, value);
          case PREFIX -> HeaderMatch.prefix(name, value);
          case REGEX -> HeaderMatch.regex(name, value.isEmpty() ? ".*" : value + ".?");
          case PRESENT -> HeaderMatch.present(name);
          case ABSENT -> HeaderMatch.absent(name);
        });
    Arbitrary<QueryMatch> query = Combinators.combine(Arbitraries.of("q", "debug"), Arbitraries.of(VALUES),
        Arbitraries.of(true, false)).as((name, value, exact) -> exact ? QueryMatch.exact(name, value)
            : QueryMatch.regex(name, value + ".*"));
    Arbitrary<RouteMatch> match = Combinators.combine(path.injectNull(0.4),
        Arbitraries.of("GET", "POST").injectNull(0.6), header.list().ofMaxSize(2), query.list().ofMaxSize(2))
        .as(RouteMatch::new);
    Arbitrary<List<RouteMatch>> matches = match.list().ofMaxSize(3);
    return matches.list().ofMinSize(1).ofMaxSize(6).map(all -> {
      List<RouteRule> rules = new ArrayList<>();
      for (int i = 0; i < all.size(); i++) {
        RouteRule.Builder rule = RouteRule.builder("r" + i).destination(RouteDestination.of("svc"));
        all.get(i).forEach(rule::match);
        rules.add(rule.build());
      }
      return rules;
    });
  }

  @Provide
  Arbitrary<MeshRequest> requests() {
    Arbitrary<String> query = Combinators.combine(Arbitraries.of("q", "debug", "other"),
        Arbitraries.of("beta", "v1", "b", "", "bet", "x+y", "x%20y", "b%65ta"))
        .as((name, value) -> name + "=" + value).list().ofMaxSize(3)
        .map(pairs -> pairs.isEmpty() ? "" : "?" + String.join("&", pairs));
    Arbitrary<Map<String, String>> headers = Arbitraries.maps(Arbitraries.of(HEADERS), Arbitraries.of(VALUES))
        .ofMaxSize(3);
    return Combinators.combine(Arbitraries.of(PATHS), query, Arbitraries.of("GET", "POST", "PUT"), headers)
        .as((path, q, method, fields) -> {
          MeshRequest.Builder builder = MeshRequest.builder().method(method).path(path + q.replace(" ", "%20"));
          fields.forEach(builder::header);
          return builder.build();
        });
  }

  @Provide
  Arbitrary<List<Integer>> weights() {
    return Arbitraries.integers().between(0, 5).list().ofMinSize(2).ofMaxSize(6);
  }
}
