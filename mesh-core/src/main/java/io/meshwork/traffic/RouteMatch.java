package io.meshwork.traffic;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One way a request can match a route rule: every field that is set must hold (path, method, headers,
 * query parameters). A rule holds if any one of its matches does. A match with no field matches
 * every request.
 *
 * @param path the path match, or null for any path
 * @param method the method (case-sensitive, as HTTP methods are), or null for any
 * @param headers header matches, all of which must hold
 * @param query query parameter matches, all of which must hold
 */
public record RouteMatch(PathMatch path, String method, List<HeaderMatch> headers, List<QueryMatch> query) {

  private static final RouteMatch ANY = new RouteMatch(null, null, List.of(), List.of());

  /** Checks and copies. */
  public RouteMatch {
    if (method != null && (method.isEmpty() || !method.chars().allMatch(c -> c > ' ' && c < 127))) {
      throw new IllegalArgumentException("method: '" + method + "' (expected: a method such as GET)");
    }
    headers = List.copyOf(headers);
    query = List.copyOf(query);
  }

  /** Matches every request. */
  public static RouteMatch any() {
    return ANY;
  }

  /** A builder of a match with no field set. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link RouteMatch}. */
  public static final class Builder {
    private PathMatch path;
    private String method;
    private final List<HeaderMatch> headers = new ArrayList<>();
    private final List<QueryMatch> query = new ArrayList<>();

    private Builder() {}

    /** The path match. */
    public Builder path(PathMatch value) {
      this.path = Objects.requireNonNull(value, "path");
      return this;
    }

    /** The method, such as GET. */
    public Builder method(String value) {
      this.method = value;
      return this;
    }

    /** One more header that must match. */
    public Builder header(HeaderMatch value) {
      headers.add(Objects.requireNonNull(value, "header"));
      return this;
    }

    /** One more query parameter that must match. */
    public Builder query(QueryMatch value) {
      query.add(Objects.requireNonNull(value, "query"));
      return this;
    }

    /** The match. */
    public RouteMatch build() {
      return new RouteMatch(path, method, headers, query);
    }
  }
}
