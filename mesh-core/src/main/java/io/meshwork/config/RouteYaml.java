package io.meshwork.config;

import io.meshwork.traffic.FaultInjection;
import io.meshwork.traffic.HeaderRewrite;
import io.meshwork.traffic.Mirror;
import io.meshwork.traffic.PathMatch;
import io.meshwork.traffic.RateLimit;
import io.meshwork.traffic.RouteDestination;
import io.meshwork.traffic.RouteMatch;
import io.meshwork.traffic.RouteRule;
import java.time.Duration;
import java.util.List;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * The part of {@code mesh.yaml}'s description that is a service's route rules (Istio's
 * VirtualService routes): matches, destinations and splits, per-route overrides, header changes,
 * rewrites, mirrors, faults and rate limits, read into the {@code io.meshwork.traffic} records.
 */
final class RouteYaml {

  static final ObjectCodec<RateLimit> RATE_LIMIT = ObjectCodec.<RateLimit>builder("RateLimit",
          "A token bucket: perSecond calls on average, up to burst at once after a quiet period.")
      .modelPrefix("rateLimit.")
      .required("perSecond", new NumberCodec(0, true, 1e9), RateLimit::perSecond, "The sustained rate.")
      .required("burst", Scalars.POSITIVE, RateLimit::burst, "The most calls allowed at once.")
      .build(v -> new RateLimit(v.get("perSecond"), v.get("burst")));

  static final ObjectCodec<RouteDestination> DESTINATION = ObjectCodec.<RouteDestination>builder(
          "Destination", "A service, optionally a subset of its instances, and a weight in a split.")
      .modelPrefix("destination.")
      .required("service", Scalars.NAME, RouteDestination::service, "The service calls go to.")
      .field("subset", Scalars.NAME, RouteDestination::subset,
          "A subset the service's policy declares; all its instances when left out.")
      .fieldWithDefault("weight", new IntegerCodec(0, 1_000_000), RouteDestination::weight, 100,
          "The share of calls, relative to the route's other destinations (0 drains it); ignored by"
              + " a mirror.")
      .onBuilt((destination, node, context) -> context.findings().referSubset(destination,
          Nodes.valueOf(node, "subset"), context))
      .build(v -> new RouteDestination(v.get("service"), v.get("subset"), v.get("weight")));

  static final ObjectCodec<RouteDestination> ROUTE_ENTRY = ObjectCodec.<RouteDestination>builder(
          "RouteEntry", "One destination of a route, with its weight inside it or beside it (as Istio).")
      .required("destination", DESTINATION, destination -> destination, "Where calls go.")
      .field("weight", new IntegerCodec(0, 1_000_000), destination -> null,
          "The destination's weight, as Istio places it; the same as destination.weight, which wins"
              + " in written files.")
      .check((unused, node, context) -> {
        Node outer = Nodes.valueOf(node, "weight");
        if (outer != null && Nodes.valueOf(Nodes.valueOf(node, "destination"), "weight") != null) {
          context.field("weight").error(outer, Nodes.show(outer)
              + " (expected: one weight, here or in destination.weight, not both)");
        }
      })
      .build(v -> v.<Integer>get("weight") == null ? v.get("destination")
          : v.<RouteDestination>get("destination").withWeight(v.get("weight")));

  static final ChoiceCodec<PathMatch> PATH_MATCH = ChoiceCodec.<PathMatch>of("PathMatch",
          "How the path (before any '?') matches: exact, prefix, or a regex on the whole path.")
      .or("exact", Scalars.STRING, PathMatch::exact, path -> value(path, PathMatch.Kind.EXACT),
          "The path equals it.")
      .or("prefix", Scalars.STRING, PathMatch::prefix, path -> value(path, PathMatch.Kind.PREFIX),
          "The path starts with it.")
      .or("regex", Scalars.STRING, PathMatch::regex, path -> value(path, PathMatch.Kind.REGEX),
          "The whole path matches it (java.util.regex).");

  static final ObjectCodec<RouteMatch> ROUTE_MATCH = ObjectCodec.<RouteMatch>builder("RouteMatch",
          "One way a request can match: every field set must hold.")
      .defaults(RouteMatch.any())
      .field("path", PATH_MATCH, RouteMatch::path, "The path match; any path when left out.")
      .field("method", Scalars.TEXT, RouteMatch::method, "The method, such as GET (case-sensitive).")
      .field("headers", MatchYaml.HEADERS, RouteMatch::headers, "Header matches, all of which must hold:"
          + " a header name to a value (exact) or to one of exact, prefix, regex, present: true, absent: true.")
      .field("query", MatchYaml.QUERY, RouteMatch::query, "Query parameter matches (values percent-decoded),"
          + " all of which must hold: a name to a value (exact) or to one of exact, regex.")
      .build(v -> new RouteMatch(v.get("path"), v.get("method"), v.get("headers"), v.get("query")));

  static final ObjectCodec<HeaderRewrite> HEADER_REWRITE = ObjectCodec.<HeaderRewrite>builder(
          "HeaderRewrite", "Changes to headers, made in this order: remove, set, add.")
      .defaults(HeaderRewrite.none())
      .field("set", MatchYaml.HEADER_FIELDS, HeaderRewrite::set, "Fields that replace those of the same name.")
      .field("add", MatchYaml.HEADER_FIELDS, HeaderRewrite::add, "Fields added beside those already there.")
      .field("remove", ListCodec.of(Scalars.HEADER_NAME).uniqueValues(), HeaderRewrite::remove, "Names removed.")
      .build(v -> new HeaderRewrite(v.get("set"), v.get("add"), v.get("remove")));

  static final ObjectCodec<HeaderChanges> HEADERS = ObjectCodec.<HeaderChanges>builder("HeaderChanges",
          "Changes a route makes to the request's and the response's headers.")
      .defaults(new HeaderChanges(HeaderRewrite.none(), HeaderRewrite.none()))
      .field("request", HEADER_REWRITE, HeaderChanges::request, "Changes to the request sent.")
      .field("response", HEADER_REWRITE, HeaderChanges::response, "Changes to the response returned.")
      .build(v -> new HeaderChanges(v.get("request"), v.get("response")));

  static final ObjectCodec<String> REWRITE = ObjectCodec.<String>builder("Rewrite",
          "How the path is rewritten before it is sent.")
      .required("prefix", Scalars.TEXT, prefix -> prefix, "What replaces the matched path prefix (or exact"
          + " path); starts with '/'. Every match of the rule needs an exact or prefix path.")
      .build(v -> v.get("prefix"));

  static final ObjectCodec<Mirror> MIRROR = ObjectCodec.<Mirror>builder("Mirror", "A copy of a share of"
          + " the route's calls sent to another destination, fire and forget: its answer never reaches"
          + " the caller.")
      .modelPrefix("mirror.")
      .required("destination", DESTINATION, Mirror::destination, "Where the copies go.")
      .fieldWithDefault("percent", Scalars.PERCENT, Mirror::percent, 100.0, "The share of calls copied, 0..100.")
      .build(v -> new Mirror(v.get("destination"), v.get("percent")));

  static final ObjectCodec<FaultInjection> FAULT = ObjectCodec.<FaultInjection>builder("Fault",
          "Faults injected into the route's calls: a fixed delay and an abort, each for a percentage.")
      .modelPrefix("fault.")
      .field("delay", ObjectCodec.<FaultDelay>builder("FaultDelay", "A fixed delay for a share of calls.")
          .fieldWithDefault("percent", Scalars.PERCENT, FaultDelay::percent, 100.0, "The share of calls delayed.")
          .required("fixedDelay", Scalars.DURATION, FaultDelay::fixedDelay,
              "How long a delayed call waits; it counts against the call's deadline.")
          .build(v -> new FaultDelay(v.get("percent"), v.get("fixedDelay"))), FaultDelay::of,
          "A fixed delay for a share of calls.")
      .field("abort", ObjectCodec.<FaultAbort>builder("FaultAbort", "An abort for a share of calls.")
          .fieldWithDefault("percent", Scalars.PERCENT, FaultAbort::percent, 100.0, "The share of calls aborted.")
          .required("httpStatus", new IntegerCodec(0, 599), FaultAbort::httpStatus,
              "The status answered (200..599), or 0 to fail as a reset connection would.")
          .build(v -> new FaultAbort(v.get("percent"), v.get("httpStatus"))), FaultAbort::of,
          "An abort for a share of calls.")
      .build(v -> new FaultInjection(
          v.get("delay") == null ? 0 : v.<FaultDelay>get("delay").percent(),
          v.get("delay") == null ? Duration.ZERO : v.<FaultDelay>get("delay").fixedDelay(),
          v.get("abort") == null ? 0 : v.<FaultAbort>get("abort").percent(),
          v.get("abort") == null ? 0 : v.<FaultAbort>get("abort").httpStatus()));

  static final ObjectCodec<RouteRule> ROUTE_RULE = ObjectCodec.<RouteRule>builder("RouteRule",
          "One route rule: when any of its matches holds (or it has none), calls go to its destinations,"
              + " split by weight, with its overrides and changes.")
      .required("name", Scalars.TEXT, RouteRule::name, "The rule's name, unique within the service; it"
          + " names the route in errors, metrics and logs.")
      .fieldWithDefault("match", ListCodec.of(ROUTE_MATCH), RouteRule::matches, List.of(),
          "The matches, any of which selects the rule; every request when left out.")
      .required("route", ListCodec.of(ROUTE_ENTRY).atLeast(1), RouteRule::destinations,
          "Where calls go: one destination, or several split by weight (weights sum > 0).",
          "destinations", "weights")
      .field("hashOn", Scalars.TEXT, RouteRule::hashOn, "A request header whose value keeps a caller on one"
          + " side of a split (a call's hashKey wins).")
      .field("timeout", Scalars.POSITIVE_DURATION, RouteRule::timeout,
          "The call's timeout on this route; the service's when left out.")
      .field("retries", PolicyYaml.RETRY, RouteRule::retry,
          "The retry policy on this route; the service's when left out.", "retry")
      .field("headers", HEADERS, HeaderChanges::of, "Changes to request and response headers.",
          "requestHeaders", "responseHeaders")
      .field("rewrite", REWRITE, RouteRule::prefixRewrite, "A rewrite of the path.", "prefixRewrite")
      .field("mirror", MIRROR, RouteRule::mirror, "A copy of a share of calls to another destination.")
      .field("fault", FAULT, RouteRule::fault, "Faults injected into this route's calls.")
      .field("rateLimit", RATE_LIMIT, RouteRule::rateLimit, "A client-side rate limit of this route.")
      .label("name", name -> "route '" + name + "'")
      .build(v -> new RouteRule(v.get("name"), v.get("match"), v.get("route"), v.get("hashOn"),
          v.get("timeout"), v.get("retries"),
          v.get("headers") == null ? null : v.<HeaderChanges>get("headers").request(),
          v.get("headers") == null ? null : v.<HeaderChanges>get("headers").response(),
          v.get("rewrite"), v.get("mirror"), v.get("fault"), v.get("rateLimit")));

  private RouteYaml() {}

  private static String value(PathMatch path, PathMatch.Kind kind) {
    return path.kind() == kind ? path.value() : null;
  }

  /** The file's {@code headers: {request, response}} of a rule. */
  record HeaderChanges(HeaderRewrite request, HeaderRewrite response) {
    static HeaderChanges of(RouteRule rule) {
      return rule.requestHeaders().isEmpty() && rule.responseHeaders().isEmpty() ? null
          : new HeaderChanges(rule.requestHeaders(), rule.responseHeaders());
    }
  }

  /** The file's {@code fault.delay}. */
  record FaultDelay(double percent, Duration fixedDelay) {
    static FaultDelay of(FaultInjection fault) {
      return fault.delayPercent() == 0 && fault.delay().isZero() ? null
          : new FaultDelay(fault.delayPercent(), fault.delay());
    }
  }

  /** The file's {@code fault.abort}. */
  record FaultAbort(double percent, int httpStatus) {
    static FaultAbort of(FaultInjection fault) {
      return fault.abortPercent() == 0 && fault.abortStatus() == 0 ? null
          : new FaultAbort(fault.abortPercent(), fault.abortStatus());
    }
  }
}
