package io.meshwork.security;

/**
 * An {@link AuthorizationRule} turned into arrays and bit masks once, when the policy is built, so
 * that matching a request does no parsing, no regex and no allocation.
 */
final class CompiledRule {

  final AuthorizationRule rule;
  /** What {@link AuthorizationPolicy#evaluate} returns when this rule decides. */
  final Decision decision;
  private final boolean anyPeer;
  private final PrincipalPattern[] principals;
  private final String[] namespaces;
  private final PathPattern[] paths;
  private final int methods;

  CompiledRule(AuthorizationRule rule) {
    this.rule = rule;
    boolean allow = rule.action() == RuleAction.ALLOW;
    this.decision = allow
        ? Decision.allow(rule.name(), "allowed by rule '" + rule.name() + "'")
        : Decision.deny(rule.name(), "denied by rule '" + rule.name() + "'");
    this.anyPeer = rule.coversPlaintext();
    this.principals = rule.principals().stream().map(PrincipalPattern::compile).toArray(PrincipalPattern[]::new);
    this.namespaces = rule.namespaces().toArray(String[]::new);
    this.paths = rule.paths().stream().map(PathPattern::compile).toArray(PathPattern[]::new);
    int mask = 0;
    for (String method : rule.methods()) {
      mask |= HttpMethods.bit(method);
    }
    this.methods = mask;
  }

  boolean restrictsPaths() {
    return paths.length > 0;
  }

  /** Whether the rule covers {@code peer} (null: plaintext) calling {@code path} up to {@code pathEnd}. */
  boolean matches(WorkloadIdentity peer, int methodBit, String path, int pathEnd) {
    if (methods != 0 && (methods & methodBit) == 0) {
      return false;
    }
    if (!anyPeer && (peer == null || !matchesPeer(peer))) {
      return false;
    }
    if (paths.length == 0) {
      return true;
    }
    for (PathPattern pattern : paths) {
      if (pattern.matches(path, pathEnd)) {
        return true;
      }
    }
    return false;
  }

  private boolean matchesPeer(WorkloadIdentity peer) {
    if (namespaces.length > 0 && !contains(namespaces, peer.namespace())) {
      return false;
    }
    if (principals.length == 0) {
      return true;
    }
    for (PrincipalPattern principal : principals) {
      if (principal.matches(peer)) {
        return true;
      }
    }
    return false;
  }

  private static boolean contains(String[] values, String value) {
    for (String candidate : values) {
      if (candidate.equals(value)) {
        return true;
      }
    }
    return false;
  }
}
