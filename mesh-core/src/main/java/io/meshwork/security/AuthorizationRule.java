package io.meshwork.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One authorization rule: which peers ({@code from}), calling what ({@code to}), are allowed or
 * denied. Immutable; every factory and {@code with} method validates at once and says what was
 * expected.
 *
 * <pre>{@code
 * AuthorizationRule.allow("prod/frontend").withMethods("GET", "POST").toPaths("/api/*")
 * AuthorizationRule.deny("*").toPaths("/admin/*").named("no-admin")
 * AuthorizationRule.allow().fromNamespaces("prod", "staging")
 * }</pre>
 *
 * <p>A principal is one of: {@code *} (any authenticated peer); a SPIFFE ID
 * ({@code spiffe://cluster.local/ns/prod/sa/api}); a SPIFFE ID prefix ending in {@code *}
 * ({@code spiffe://cluster.local/ns/prod/*}); a suffix starting with {@code *}
 * ({@code *}{@code /sa/api}); or the short form {@code <namespace>/<service>}, which means that
 * workload in any trust domain the mesh's roots vouch for.
 *
 * <p>A rule matches a request when every part it sets matches: the peer is one of the principals
 * (when set) and in one of the namespaces (when set); the method is one of the methods (when set);
 * the path is one of the paths (when set). A rule that names no principals and no namespaces
 * matches every peer, a plaintext one included; a rule that names either never matches a plaintext
 * peer, which has no identity.
 *
 * @param name the rule's name in decisions and audit logs; null derives one from the rule
 * @param action what the rule does to the requests it matches
 * @param principals the peers it covers; empty for any
 * @param namespaces the peer namespaces it covers; empty for any
 * @param paths exact paths, or prefixes ending in {@code *}; each starts with {@code /}; empty for any
 * @param methods upper-case request methods such as {@code GET}; empty for any
 */
public record AuthorizationRule(String name, RuleAction action, List<String> principals,
    List<String> namespaces, List<String> paths, List<String> methods) {

  private static final int MAX_NAME_LENGTH = 200;

  /** Validates every part, and derives the name when it is null. */
  public AuthorizationRule {
    if (action == null) {
      throw new IllegalArgumentException("action: null (expected: ALLOW or DENY)");
    }
    principals = RuleInputs.check("principals", principals, RuleInputs::checkPrincipal);
    namespaces = RuleInputs.check("namespaces", namespaces, RuleInputs::checkNamespace);
    paths = RuleInputs.check("paths", paths, RuleInputs::checkPath);
    methods = RuleInputs.check("methods", methods, RuleInputs::checkMethod);
    name = name == null ? derivedName(action, principals, namespaces, paths, methods) : checkName(name);
  }

  /**
   * A rule allowing {@code principals} (none: every peer, plaintext included) to make any call;
   * narrow it with {@link #fromNamespaces}, {@link #toPaths} and {@link #withMethods}.
   */
  public static AuthorizationRule allow(String... principals) {
    return new AuthorizationRule(null, RuleAction.ALLOW, listOf("principals", principals),
        List.of(), List.of(), List.of());
  }

  /**
   * A rule denying {@code principals} (none: every peer, plaintext included) any call; narrow it
   * with {@link #fromNamespaces}, {@link #toPaths} and {@link #withMethods}.
   */
  public static AuthorizationRule deny(String... principals) {
    return new AuthorizationRule(null, RuleAction.DENY, listOf("principals", principals),
        List.of(), List.of(), List.of());
  }

  /** This rule under {@code name}, as decisions and audit logs report it. */
  public AuthorizationRule named(String name) {
    Objects.requireNonNull(name, "name");
    return new AuthorizationRule(name, action, principals, namespaces, paths, methods);
  }

  /** This rule, matching only peers in one of {@code namespaces}. */
  public AuthorizationRule fromNamespaces(String... namespaces) {
    return new AuthorizationRule(keptName(), action, principals, listOf("namespaces", namespaces), paths, methods);
  }

  /** This rule, matching only {@code paths}: exact, or a prefix when ending in {@code *}. */
  public AuthorizationRule toPaths(String... paths) {
    return new AuthorizationRule(keptName(), action, principals, namespaces, listOf("paths", paths), methods);
  }

  /** This rule, matching only requests with one of {@code methods}. */
  public AuthorizationRule withMethods(String... methods) {
    return new AuthorizationRule(keptName(), action, principals, namespaces, paths, listOf("methods", methods));
  }

  /** Whether the rule can match a peer that has no identity. */
  boolean coversPlaintext() {
    return principals.isEmpty() && namespaces.isEmpty();
  }

  /** A name given by {@link #named} survives further narrowing; a derived one is derived again. */
  private String keptName() {
    return name.equals(derivedName(action, principals, namespaces, paths, methods)) ? null : name;
  }

  private static List<String> listOf(String field, String[] values) {
    if (values == null) {
      throw new IllegalArgumentException(field + ": null (expected: zero or more values)");
    }
    List<String> list = new ArrayList<>(values.length);
    for (String value : values) {
      list.add(value);
    }
    return list;
  }

  private static String derivedName(RuleAction action, List<String> principals, List<String> namespaces,
      List<String> paths, List<String> methods) {
    StringBuilder name = new StringBuilder(action == RuleAction.ALLOW ? "allow" : "deny");
    name.append(" from ").append(principals.isEmpty() ? "any" : String.join(",", principals));
    if (!namespaces.isEmpty()) {
      name.append(" in ").append(String.join(",", namespaces));
    }
    if (!methods.isEmpty()) {
      name.append(' ').append(String.join(",", methods));
    }
    if (!paths.isEmpty()) {
      name.append(" to ").append(String.join(",", paths));
    }
    return name.toString();
  }

  private static String checkName(String name) {
    if (name.isBlank() || name.length() > MAX_NAME_LENGTH || !RuleInputs.isPrintable(name)) {
      throw new IllegalArgumentException("name: '" + name + "' (expected: 1.." + MAX_NAME_LENGTH
          + " printable characters, not all blank)");
    }
    return name;
  }
}
