package io.meshwork.internal;

import io.meshwork.CallOptions;
import io.meshwork.MeshRequest;
import io.meshwork.loadbalancer.Hashing;
import io.meshwork.traffic.RouteDestination;
import io.meshwork.traffic.RouteRule;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * One {@link RouteRule}, compiled: its matches, one decision per destination and the cumulative
 * weights of its split. A sticky split hashes the call's key onto the weights, so a key stays on one
 * side while the weights stay, and moving weight from one side to another moves only that share of
 * keys.
 */
final class CompiledRule {

  /** {@link #match} when a rule with no match holds for every request. */
  static final int EVERY_REQUEST = Integer.MAX_VALUE;

  final RouteRule rule;
  final TokenBucket rateLimit;
  final MirrorSender mirror;
  private final CompiledMatch[] matches;
  private final RouteDecision[] decisions;
  private final long[] cumulative;
  private final long totalWeight;

  CompiledRule(RouteRule rule, Targets targets, long nowNanos, MirrorSender.Factory mirrors) {
    this.rule = rule;
    this.matches = CompiledMatch.compile(rule.matches());
    List<RouteDestination> destinations = rule.destinations();
    this.decisions = new RouteDecision[destinations.size()];
    this.cumulative = new long[destinations.size()];
    long sum = 0;
    for (int i = 0; i < decisions.length; i++) {
      RouteDestination destination = destinations.get(i);
      decisions[i] = new RouteDecision(rule.name(), this, destination.service(), destination.subset(), targets);
      sum += destination.weight();
      cumulative[i] = sum;
    }
    this.totalWeight = sum;
    this.rateLimit = rule.rateLimit() == null ? null : new TokenBucket(rule.rateLimit(), nowNanos);
    this.mirror = rule.mirror() == null ? null : mirrors.make(rule.mirror(), rule.name());
  }

  /**
   * The index of the first match that holds, {@link #EVERY_REQUEST} without matches, or -1;
   * {@code pathEnd} is {@link CompiledMatch#pathEnd} of the request's target.
   */
  int match(MeshRequest request, int pathEnd) {
    if (matches.length == 0) {
      return EVERY_REQUEST;
    }
    for (int i = 0; i < matches.length; i++) {
      if (matches[i].matches(request, pathEnd)) {
        return i;
      }
    }
    return -1;
  }

  /** The prefix the match at {@code index} holds on, for a rewrite; null when there is none. */
  String matchedPrefix(int index) {
    return index == EVERY_REQUEST ? null : matches[index].rewritablePrefix();
  }

  /** One destination: by the call's key when it has one (sticky), else at random by weight. */
  RouteDecision pick(MeshRequest request, CallOptions options, RandomGenerator random) {
    if (decisions.length == 1) {
      return decisions[0];
    }
    String key = options.hashKey();
    if (key == null && rule.hashOn() != null) {
      key = request.header(rule.hashOn());
    }
    long point = key != null ? Long.remainderUnsigned(Hashing.hash64(key), totalWeight) : random.nextLong(totalWeight);
    for (int i = 0; i < cumulative.length; i++) {
      if (point < cumulative[i]) {
        return decisions[i];
      }
    }
    return decisions[decisions.length - 1];
  }
}
