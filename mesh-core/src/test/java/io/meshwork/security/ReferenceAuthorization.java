package io.meshwork.security;

import java.util.List;

/**
 * The authorization rules written the slow, obvious way (whole strings, splits, no precompiling),
 * as the model the real policy must agree with.
 */
final class ReferenceAuthorization {

  /** What the policy should answer: allowed or not, and the deciding rule's name (null: a default). */
  record Outcome(boolean allowed, String rule) {}

  private ReferenceAuthorization() {}

  static Outcome evaluate(List<AuthorizationRule> rules, WorkloadIdentity peer, String method, String fullPath) {
    if (rules.isEmpty()) {
      return new Outcome(true, null);
    }
    String path = fullPath.split("[?]", -1)[0];
    if (rules.stream().anyMatch(rule -> !rule.paths().isEmpty()) && !isNormalized(fullPath)) {
      return new Outcome(false, null);
    }
    for (AuthorizationRule rule : rules) {
      if (rule.action() == RuleAction.DENY && matches(rule, peer, method, path)) {
        return new Outcome(false, rule.name());
      }
    }
    if (rules.stream().noneMatch(rule -> rule.action() == RuleAction.ALLOW)) {
      return new Outcome(peer != null, null);
    }
    for (AuthorizationRule rule : rules) {
      if (rule.action() == RuleAction.ALLOW && matches(rule, peer, method, path)) {
        return new Outcome(true, rule.name());
      }
    }
    return new Outcome(false, null);
  }

  private static boolean matches(AuthorizationRule rule, WorkloadIdentity peer, String method, String path) {
    if (!rule.methods().isEmpty() && !rule.methods().contains(method)) {
      return false;
    }
    if (!rule.principals().isEmpty() || !rule.namespaces().isEmpty()) {
      if (peer == null) {
        return false;
      }
      if (!rule.namespaces().isEmpty() && !rule.namespaces().contains(peer.namespace())) {
        return false;
      }
      if (!rule.principals().isEmpty() && rule.principals().stream().noneMatch(p -> principalMatches(p, peer))) {
        return false;
      }
    }
    return rule.paths().isEmpty() || rule.paths().stream().anyMatch(p -> pathMatches(p, path));
  }

  static boolean principalMatches(String principal, WorkloadIdentity peer) {
    String id = peer.spiffeId();
    if (principal.equals("*")) {
      return true;
    }
    if (principal.startsWith("*")) {
      return id.endsWith(principal.substring(1));
    }
    if (principal.endsWith("*")) {
      return id.startsWith(principal.substring(0, principal.length() - 1));
    }
    if (principal.startsWith("spiffe://")) {
      return id.equals(principal);
    }
    String[] parts = principal.split("/");
    return peer.namespace().equals(parts[0]) && peer.service().equals(parts[1]);
  }

  private static boolean pathMatches(String pattern, String path) {
    if (!pattern.endsWith("*")) {
      return path.equals(pattern);
    }
    String prefix = pattern.substring(0, pattern.length() - 1);
    boolean subtreeRoot = prefix.length() > 1 && prefix.endsWith("/")
        && path.equals(prefix.substring(0, prefix.length() - 1));
    return path.startsWith(prefix) || subtreeRoot;
  }

  /** Normalized: what PathNormalizer makes of it is the path itself (PathNormalizerTest checks that). */
  private static boolean isNormalized(String path) {
    try {
      return PathNormalizer.normalize(path).equals(path);
    } catch (IllegalArgumentException refused) {
      return false;
    }
  }
}
