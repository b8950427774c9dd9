package io.meshwork.traffic;

import io.meshwork.resilience.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One route rule of a destination (Istio's VirtualService route, the Gateway API's HTTPRoute rule):
 * when any of its matches holds (or it has none), the call goes to one of its destinations, split by
 * weight, with the rule's overrides and changes. Rules are tried in order; the first that holds
 * decides. Immutable; build it with {@link #builder(String)}.
 *
 * <pre>{@code
 * RouteRule beta = RouteRule.builder("beta")
 *     .match(RouteMatch.builder().header(HeaderMatch.exact("version", "beta")).build())
 *     .destination(RouteDestination.of("user-service", "v2"))
 *     .build();
 * }</pre>
 *
 * @param name the rule's name, unique within the destination (it names the route in errors,
 *     metrics and logs)
 * @param matches the matches, any of which selects the rule; empty for every request
 * @param destinations where calls go, split by weight (total weight > 0)
 * @param hashOn a request header whose value keeps a caller on one side of a split (sticky), or
 *     null; a call's {@code CallOptions.hashKey} does the same and takes precedence
 * @param timeout the call's timeout on this route, or null for the destination's
 * @param retry the retry policy on this route, or null for the destination's
 * @param requestHeaders changes to the request's headers
 * @param responseHeaders changes to the response's headers
 * @param prefixRewrite what replaces the matched path prefix (or exact path), or null
 * @param mirror a copy of a share of the calls to another destination, or null
 * @param fault faults injected into this route's calls, or null
 * @param rateLimit a client-side rate limit of this route, or null
 */
public record RouteRule(String name, List<RouteMatch> matches, List<RouteDestination> destinations,
    String hashOn, Duration timeout, RetryPolicy retry, HeaderRewrite requestHeaders,
    HeaderRewrite responseHeaders, String prefixRewrite, Mirror mirror, FaultInjection fault,
    RateLimit rateLimit) {

  /** Checks every field and the rule as a whole; messages name the rule. */
  public RouteRule {
    if (name == null || name.isBlank() || name.length() > 253) {
      throw new IllegalArgumentException("route name: '" + name + "' (expected: 1..253 characters)");
    }
    String where = "route '" + name + "': ";
    matches = List.copyOf(matches);
    destinations = List.copyOf(destinations);
    if (destinations.isEmpty()) {
      throw new IllegalArgumentException(where + "route: [] (expected: at least one destination)");
    }
    long total = 0;
    for (RouteDestination destination : destinations) {
      total += destination.weight();
    }
    if (total == 0) {
      throw new IllegalArgumentException(where + "weights sum to 0 (expected: > 0)");
    }
    if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
      throw new IllegalArgumentException(where + "timeout: " + timeout + " (expected: > 0)");
    }
    if (timeout != null && retry != null && retry.perTryTimeout().compareTo(timeout) > 0) {
      throw new IllegalArgumentException(where + "retries.perTryTimeout: " + retry.perTryTimeout().toMillis()
          + " ms (expected: <= timeout " + timeout.toMillis() + " ms)");
    }
    requestHeaders = requestHeaders == null ? HeaderRewrite.none() : requestHeaders;
    responseHeaders = responseHeaders == null ? HeaderRewrite.none() : responseHeaders;
    if (prefixRewrite != null) {
      if (!prefixRewrite.startsWith("/")) {
        throw new IllegalArgumentException(where + "prefixRewrite: '" + prefixRewrite + "' (expected: starts with '/')");
      }
      for (RouteMatch match : matches) {
        if (match.path() == null || match.path().kind() == PathMatch.Kind.REGEX) {
          throw new IllegalArgumentException(where + "prefixRewrite needs every match to have an exact or"
              + " prefix path (a match has " + (match.path() == null ? "no path" : "a regex path") + ")");
        }
      }
      if (matches.isEmpty()) {
        throw new IllegalArgumentException(where + "prefixRewrite needs a match with an exact or prefix path");
      }
    }
    if (hashOn != null && hashOn.isBlank()) {
      throw new IllegalArgumentException(where + "hashOn: '' (expected: a header name)");
    }
  }

  /** A builder of a rule named {@code name}. */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** A builder that starts from this rule. */
  public Builder toBuilder() {
    Builder b = new Builder(name);
    b.matches.addAll(matches);
    b.destinations.addAll(destinations);
    b.hashOn = hashOn;
    b.timeout = timeout;
    b.retry = retry;
    b.requestHeaders = requestHeaders;
    b.responseHeaders = responseHeaders;
    b.prefixRewrite = prefixRewrite;
    b.mirror = mirror;
    b.fault = fault;
    b.rateLimit = rateLimit;
    return b;
  }

  /** Builds a {@link RouteRule}; {@link #build()} checks the rule as a whole. */
  public static final class Builder {
    private final String name;
    private final List<RouteMatch> matches = new ArrayList<>();
    private final List<RouteDestination> destinations = new ArrayList<>();
    private String hashOn;
    private Duration timeout;
    private RetryPolicy retry;
    private HeaderRewrite requestHeaders = HeaderRewrite.none();
    private HeaderRewrite responseHeaders = HeaderRewrite.none();
    private String prefixRewrite;
    private Mirror mirror;
    private FaultInjection fault;
    private RateLimit rateLimit;

    private Builder(String name) {
      this.name = name;
    }

    /** One more match; the rule holds when any holds. */
    public Builder match(RouteMatch value) {
      matches.add(Objects.requireNonNull(value, "match"));
      return this;
    }

    /** One more destination. */
    public Builder destination(RouteDestination value) {
      destinations.add(Objects.requireNonNull(value, "destination"));
      return this;
    }

    /** The header whose value keeps a caller on one side of a split. */
    public Builder hashOn(String header) {
      this.hashOn = Objects.requireNonNull(header, "hashOn");
      return this;
    }

    /** The call's timeout on this route. */
    public Builder timeout(Duration value) {
      this.timeout = Objects.requireNonNull(value, "timeout");
      return this;
    }

    /** The retry policy on this route. */
    public Builder retry(RetryPolicy value) {
      this.retry = Objects.requireNonNull(value, "retry");
      return this;
    }

    /** Changes to the request's headers. */
    public Builder requestHeaders(HeaderRewrite value) {
      this.requestHeaders = Objects.requireNonNull(value, "requestHeaders");
      return this;
    }

    /** Changes to the response's headers. */
    public Builder responseHeaders(HeaderRewrite value) {
      this.responseHeaders = Objects.requireNonNull(value, "responseHeaders");
      return this;
    }

    /** What replaces the matched path prefix. */
    public Builder prefixRewrite(String value) {
      this.prefixRewrite = Objects.requireNonNull(value, "prefixRewrite");
      return this;
    }

    /** A copy of a share of the calls to another destination. */
    public Builder mirror(Mirror value) {
      this.mirror = Objects.requireNonNull(value, "mirror");
      return this;
    }

    /** Faults injected into this route's calls. */
    public Builder fault(FaultInjection value) {
      this.fault = Objects.requireNonNull(value, "fault");
      return this;
    }

    /** A client-side rate limit of this route. */
    public Builder rateLimit(RateLimit value) {
      this.rateLimit = Objects.requireNonNull(value, "rateLimit");
      return this;
    }

    /** The rule. */
    public RouteRule build() {
      return new RouteRule(name, matches, destinations, hashOn, timeout, retry, requestHeaders,
          responseHeaders, prefixRewrite, mirror, fault, rateLimit);
    }
  }
}
