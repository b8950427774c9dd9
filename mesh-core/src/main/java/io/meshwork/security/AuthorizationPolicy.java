package io.meshwork.security;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Who may call a service: an immutable list of {@link AuthorizationRule}s, applied to every inbound
 * request before it reaches the handler.
 *
 * <pre>{@code
 * AuthorizationPolicy policy = AuthorizationPolicy.of(
 *     AuthorizationRule.allow("prod/frontend").withMethods("GET", "POST").toPaths("/api/*"),
 *     AuthorizationRule.deny("*").toPaths("/admin/*").named("no-admin"));
 * }</pre>
 *
 * <p>Evaluation, in order:
 * <ol>
 *   <li>No rules at all: every request is allowed, plaintext included ({@link #allowAll()}); whether
 *       plaintext reaches the service at all is the {@link MtlsMode}'s business.
 *   <li>Any matching DENY rule denies.
 *   <li>No ALLOW rules: any authenticated peer is allowed, a plaintext one denied. A policy that
 *       bothers to deny someone is a restricting policy, and a peer with no identity cannot be
 *       checked against it, so it fails closed.
 *   <li>Otherwise a matching ALLOW rule is required: once allow rules exist, everything else is denied.
 * </ol>
 * Paths are matched in the form {@link PathNormalizer} gives them, which is the form the inbound
 * side hands to both the policy and the handler. When any rule names paths, a path that is not in
 * that form is denied, since it could name a denied resource in a spelling no rule matches. Only the
 * part before {@code ?} is matched. Methods are matched exactly: {@code get} is not {@code GET}.
 */
public final class AuthorizationPolicy {

  private static final AuthorizationPolicy ALLOW_ALL = new AuthorizationPolicy(List.of());

  static final Decision ALLOWED_NO_RULES = Decision.allow(Decision.DEFAULT_RULE, "no authorization rules");
  static final Decision ALLOWED_AUTHENTICATED =
      Decision.allow(Decision.DEFAULT_RULE, "authenticated peer; no allow rules");
  static final Decision DENIED_PLAINTEXT =
      Decision.deny(Decision.DEFAULT_RULE, "plaintext peer; an authenticated identity is required");
  static final Decision DENIED_NO_MATCH = Decision.deny(Decision.DEFAULT_RULE, "no allow rule matched");
  static final Decision DENIED_BY_DEFAULT =
      Decision.deny(Decision.DEFAULT_RULE, "no allow rule matched; the default action is DENY");
  static final Decision DENIED_PATH = Decision.deny(Decision.DEFAULT_RULE, "path is not normalized");

  private final List<AuthorizationRule> rules;
  private final CompiledRule[] denyRules;
  private final CompiledRule[] allowRules;
  private final boolean checksPaths;

  AuthorizationPolicy(List<AuthorizationRule> rules) {
    this.rules = List.copyOf(rules);
    List<CompiledRule> deny = new ArrayList<>();
    List<CompiledRule> allow = new ArrayList<>();
    for (AuthorizationRule rule : this.rules) {
      (rule.action() == RuleAction.DENY ? deny : allow).add(new CompiledRule(rule));
    }
    this.denyRules = deny.toArray(CompiledRule[]::new);
    this.allowRules = allow.toArray(CompiledRule[]::new);
    this.checksPaths = Arrays.stream(denyRules).anyMatch(CompiledRule::restrictsPaths)
        || Arrays.stream(allowRules).anyMatch(CompiledRule::restrictsPaths);
  }

  /** The policy with no rules: every request is allowed. */
  public static AuthorizationPolicy allowAll() {
    return ALLOW_ALL;
  }

  /**
   * The policy of {@code rules}, in that order.
   *
   * @throws IllegalArgumentException when a rule is null or two rules share a name
   */
  public static AuthorizationPolicy of(AuthorizationRule... rules) {
    Objects.requireNonNull(rules, "rules");
    return of(Arrays.asList(rules));
  }

  /** Like {@link #of(AuthorizationRule...)}. */
  public static AuthorizationPolicy of(List<AuthorizationRule> rules) {
    Objects.requireNonNull(rules, "rules");
    AuthorizationPolicyBuilder builder = builder();
    rules.forEach(builder::rule);
    return builder.build();
  }

  /** A builder that checks each rule as it is added. */
  public static AuthorizationPolicyBuilder builder() {
    return new AuthorizationPolicyBuilder();
  }

  /** The rules, in the order given. */
  public List<AuthorizationRule> rules() {
    return rules;
  }

  /**
   * Decides whether {@code peer} may call {@code method} {@code path}.
   *
   * @param peer the caller's identity from its certificate; null for a plaintext peer
   * @param method the request method, such as {@code GET}
   * @param path the request path in normalized form ({@link PathNormalizer}), optionally with a query
   * @return a decision prepared when the policy was built; nothing is allocated
   */
  public Decision evaluate(WorkloadIdentity peer, String method, String path) {
    if (rules.isEmpty()) {
      return ALLOWED_NO_RULES;
    }
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    int methodBit = HttpMethods.bit(method);
    if (checksPaths && !PathNormalizer.isNormalized(path)) {
      return DENIED_PATH;
    }
    int pathEnd = PathNormalizer.endOfPath(path);
    for (CompiledRule rule : denyRules) {
      if (rule.matches(peer, methodBit, path, pathEnd)) {
        return rule.decision;
      }
    }
    if (allowRules.length == 0) {
      return peer != null ? ALLOWED_AUTHENTICATED : DENIED_PLAINTEXT;
    }
    for (CompiledRule rule : allowRules) {
      if (rule.matches(peer, methodBit, path, pathEnd)) {
        return rule.decision;
      }
    }
    return peer == null ? DENIED_PLAINTEXT : DENIED_NO_MATCH;
  }

  /**
   * Like {@link #evaluate(WorkloadIdentity, String, String)} under a mesh-wide default action: with
   * {@link RuleAction#DENY}, a request that no rule allowed explicitly (no rules at all, or no allow
   * rules) is denied too.
   */
  public Decision evaluate(WorkloadIdentity peer, String method, String path, RuleAction defaultAction) {
    Decision decision = evaluate(peer, method, path);
    if (defaultAction == RuleAction.DENY && (decision == ALLOWED_NO_RULES || decision == ALLOWED_AUTHENTICATED)) {
      return DENIED_BY_DEFAULT;
    }
    return decision;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof AuthorizationPolicy policy && policy.rules.equals(rules);
  }

  @Override
  public int hashCode() {
    return rules.hashCode();
  }

  @Override
  public String toString() {
    return "AuthorizationPolicy" + rules;
  }
}
