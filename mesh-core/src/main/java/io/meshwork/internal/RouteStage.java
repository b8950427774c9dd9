package io.meshwork.internal;

import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import io.meshwork.RateLimitedException;
import io.meshwork.time.Ticker;
import io.meshwork.traffic.RouteRule;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.random.RandomGenerator;

/**
 * The first step of the call path proper: the destination's route rules, tried in order (the first
 * whose match holds decides; none holds: every instance of the service), the client-side rate
 * limits of the destination and of the route, the route's request changes (headers, path prefix),
 * its mirror, and its response header changes on the way back.
 */
final class RouteStage implements Stage {

  private final String service;
  private final CompiledRule[] rules;
  private final RouteDecision fallback;
  private final TokenBucket rateLimit;
  private final Ticker ticker;
  private final RandomGenerator random;

  RouteStage(String service, RouteTable table, RouteDecision fallback, TokenBucket rateLimit,
      Ticker ticker, RandomGenerator random) {
    this.service = service;
    this.rules = table.rules();
    this.fallback = fallback;
    this.rateLimit = rateLimit;
    this.ticker = ticker;
    this.random = random;
  }

  @Override
  public String name() {
    return "route";
  }

  @Override
  public Set<ContextValue> provides() {
    return Set.of(ContextValue.ROUTE);
  }

  @Override
  public MeshClient wrap(MeshClient next) {
    return (request, context) -> execute(request, context, next);
  }

  private CompletableFuture<MeshResponse> execute(MeshRequest request, CallContext context, MeshClient next) {
    CompiledRule rule = null;
    int matched = -1;
    int pathEnd = CompiledMatch.pathEnd(request.path());
    for (CompiledRule candidate : rules) {
      matched = candidate.match(request, pathEnd);
      if (matched >= 0) {
        rule = candidate;
        break;
      }
    }
    RouteDecision decision = rule == null ? fallback : rule.pick(request, context.options, random);
    context.route(decision);
    if (rateLimit != null || (rule != null && rule.rateLimit != null)) {
      RateLimitedException limited = limit(rule);
      if (limited != null) {
        return CompletableFuture.failedFuture(limited);
      }
    }
    if (rule == null) {
      return next.execute(request, context);
    }
    MeshRequest sent = rewrite(request, rule, matched);
    if (rule.mirror != null && random.nextDouble() * 100 < rule.mirror.percent()) {
      rule.mirror.send(sent);
    }
    CompletableFuture<MeshResponse> answer = next.execute(sent, context);
    RouteRule source = rule.rule;
    if (source.responseHeaders().isEmpty()) {
      return answer;
    }
    return answer.thenApply(response -> response.toBuilder()
        .headers(source.responseHeaders().applyTo(response.headers())).build()
        .withAttempts(response.attempts()));
  }

  /** The refusal of the destination's or the route's rate limit, or null when both allow the call. */
  private RateLimitedException limit(CompiledRule rule) {
    long now = ticker.nanoTime();
    if (rateLimit != null) {
      long wait = rateLimit.tryAcquire(now);
      if (wait > 0) {
        return new RateLimitedException(service, "client rate limit of calls to " + service + " ("
            + rateLimit.limit() + ") reached", Duration.ofNanos(wait));
      }
    }
    if (rule != null && rule.rateLimit != null) {
      long wait = rule.rateLimit.tryAcquire(now);
      if (wait > 0) {
        return new RateLimitedException(service, "client rate limit of route '" + rule.rule.name() + "' ("
            + rule.rateLimit.limit() + ") reached", Duration.ofNanos(wait));
      }
    }
    return null;
  }

  private static MeshRequest rewrite(MeshRequest request, CompiledRule rule, int matched) {
    RouteRule source = rule.rule;
    String prefix = source.prefixRewrite() == null ? null : rule.matchedPrefix(matched);
    if (prefix == null && source.requestHeaders().isEmpty()) {
      return request;
    }
    MeshRequest.Builder changed = request.toBuilder();
    if (prefix != null) {
      String path = request.path();
      String rest = path.substring(prefix.length());
      String replaced = source.prefixRewrite() + rest;
      // "/api/" -> "/" on "/api/users" must not give "//users"; nor "/v2" -> "/" on "/v2" give "".
      if (source.prefixRewrite().endsWith("/") && rest.startsWith("/")) {
        replaced = source.prefixRewrite() + rest.substring(1);
      }
      changed.path(replaced.isEmpty() || replaced.charAt(0) != '/' ? "/" + replaced : replaced);
    }
    if (!source.requestHeaders().isEmpty()) {
      changed.headers(source.requestHeaders().applyTo(request.headers()));
    }
    return changed.build();
  }
}
