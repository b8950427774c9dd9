package io.meshwork.security;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Builds an {@link AuthorizationPolicy}, rejecting a bad rule when it is added. */
public final class AuthorizationPolicyBuilder {

  private final List<AuthorizationRule> rules = new ArrayList<>();
  private final Map<String, Integer> indexByName = new HashMap<>();

  AuthorizationPolicyBuilder() {}

  /**
   * Adds {@code rule}, after those already added.
   *
   * @throws IllegalArgumentException when the rule is null or an earlier rule has its name (decisions
   *     and audit lines name the rule, so names must tell rules apart)
   */
  public AuthorizationPolicyBuilder rule(AuthorizationRule rule) {
    int index = rules.size();
    if (rule == null) {
      throw new IllegalArgumentException("rules[" + index + "]: null (expected: a rule)");
    }
    Integer earlier = indexByName.putIfAbsent(rule.name(), index);
    if (earlier != null) {
      throw new IllegalArgumentException("rules[" + index + "].name: '" + rule.name()
          + "' (expected: a name no other rule has; rules[" + earlier + "] has it)");
    }
    rules.add(rule);
    return this;
  }

  /** The policy of the rules added so far. */
  public AuthorizationPolicy build() {
    return new AuthorizationPolicy(rules);
  }
}
