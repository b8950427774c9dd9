package io.meshwork.internal;

import io.meshwork.MeshRequest;
import io.meshwork.traffic.HeaderMatch;
import io.meshwork.traffic.PathMatch;
import io.meshwork.traffic.QueryMatch;
import io.meshwork.traffic.RouteMatch;
import java.util.List;

/**
 * One {@link RouteMatch}, compiled: regular expressions made once, every check in a flat array.
 * Matching a request allocates nothing unless a regular expression or a percent-encoded query
 * value must be read.
 */
final class CompiledMatch {

  private final PathMatch.Kind pathKind;
  private final String path;
  private final RegexMatch pathPattern;
  private final String method;
  private final HeaderCheck[] headers;
  private final QueryCheck[] query;

  CompiledMatch(RouteMatch match) {
    PathMatch pathMatch = match.path();
    this.pathKind = pathMatch == null ? null : pathMatch.kind();
    this.path = pathMatch == null ? null : pathMatch.value();
    this.pathPattern = pathKind == PathMatch.Kind.REGEX ? new RegexMatch(path) : null;
    this.method = match.method();
    this.headers = match.headers().stream().map(HeaderCheck::new).toArray(HeaderCheck[]::new);
    this.query = match.query().stream().map(QueryCheck::new).toArray(QueryCheck[]::new);
  }

  /** The path prefix (or exact path) this match holds on, for a prefix rewrite; null otherwise. */
  String rewritablePrefix() {
    return pathKind == PathMatch.Kind.REGEX ? null : path;
  }

  /**
   * Whether {@code request} matches; {@code pathEnd} is {@link #pathEnd} of its target, found once
   * by the caller for every rule of the table, cheapest checks first.
   */
  boolean matches(MeshRequest request, int pathEnd) {
    if (method != null) {
      String actual = request.method();
      if (method != actual && !method.equals(actual)) {
        return false;
      }
    }
    if (pathKind != null && !pathMatches(request.path(), pathEnd)) {
      return false;
    }
    for (HeaderCheck header : headers) {
      if (!header.matches(request.header(header.name))) {
        return false;
      }
    }
    for (QueryCheck parameter : query) {
      if (!parameter.matches(request.path(), pathEnd)) {
        return false;
      }
    }
    return true;
  }

  private boolean pathMatches(String target, int end) {
    switch (pathKind) {
      case EXACT:
        return end == path.length() && target.startsWith(path);
      case PREFIX:
        return end >= path.length() && target.startsWith(path);
      default:
        return pathPattern.matches(target, end);
    }
  }

  /** Where the path of a request target ends: at '?' or '#', or at its end. */
  static int pathEnd(String target) {
    for (int i = 0; i < target.length(); i++) {
      char c = target.charAt(i);
      if (c == '?' || c == '#') {
        return i;
      }
    }
    return target.length();
  }

  /** One header check. */
  private static final class HeaderCheck {
    final String name;
    final HeaderMatch.Kind kind;
    final String value;
    final RegexMatch pattern;

    HeaderCheck(HeaderMatch match) {
      this.name = match.name();
      this.kind = match.kind();
      this.value = match.value();
      this.pattern = kind == HeaderMatch.Kind.REGEX ? new RegexMatch(value) : null;
    }

    boolean matches(String actual) {
      switch (kind) {
        case EXACT:
          return value.equals(actual);
        case PREFIX:
          return actual != null && actual.startsWith(value);
        case REGEX:
          return actual != null && pattern.matches(actual);
        case PRESENT:
          return actual != null;
        default:
          return actual == null;
      }
    }
  }

  /** One query parameter check. */
  private static final class QueryCheck {
    final String name;
    final String value;
    final RegexMatch pattern;

    QueryCheck(QueryMatch match) {
      this.name = match.name();
      this.value = match.value();
      this.pattern = match.kind() == QueryMatch.Kind.REGEX ? new RegexMatch(value) : null;
    }

    boolean matches(String target, int pathEnd) {
      if (pattern == null) {
        return QueryParameters.firstEquals(target, pathEnd, name, value);
      }
      String actual = QueryParameters.first(target, pathEnd, name);
      return actual != null && pattern.matches(actual);
    }
  }

  static CompiledMatch[] compile(List<RouteMatch> matches) {
    return matches.stream().map(CompiledMatch::new).toArray(CompiledMatch[]::new);
  }
}
