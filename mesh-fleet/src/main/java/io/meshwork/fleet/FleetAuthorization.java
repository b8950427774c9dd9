package io.meshwork.fleet;

import io.meshwork.fleet.api.FleetConfig;
import io.meshwork.fleet.api.SecurityRule;
import io.meshwork.security.AuthorizationPolicy;
import io.meshwork.security.AuthorizationPolicyBuilder;
import io.meshwork.security.AuthorizationRule;
import io.meshwork.security.MtlsMode;
import java.util.List;

/**
 * Security rules as the authorization of the workload they protect: each rule naming it as
 * destination is an allow rule (after the mesh's own rules from code), so once one exists, a caller
 * no rule allows is denied. A source of {@code ns/*} is any service of that namespace, and
 * {@code * / *} any authenticated caller.
 */
final class FleetAuthorization {

  private FleetAuthorization() {}

  static AuthorizationPolicy authorization(AuthorizationPolicy base, List<SecurityRule> rules, String namespace,
      String service) {
    AuthorizationPolicyBuilder policy = null;
    for (SecurityRule rule : rules) {
      if (!rule.protects(namespace, service)) {
        continue;
      }
      if (policy == null) {
        policy = AuthorizationPolicy.builder();
        base.rules().forEach(policy::rule);
      }
      AuthorizationRule allow;
      if ("*".equals(rule.sourceNamespace())) {
        allow = AuthorizationRule.allow("*");
      } else if ("*".equals(rule.sourceService())) {
        allow = AuthorizationRule.allow().fromNamespaces(rule.sourceNamespace());
      } else {
        allow = AuthorizationRule.allow(rule.sourceNamespace() + "/" + rule.sourceService());
      }
      if (!rule.allowedMethods().isEmpty()) {
        allow = allow.withMethods(rule.allowedMethods().toArray(String[]::new));
      }
      policy.rule(allow.named("security rule " + rule.id()));
    }
    return policy == null ? base : policy.build();
  }

  /** The first mode a rule protecting this workload names, else the config's; null when neither does. */
  static MtlsMode mtlsMode(FleetConfig config, List<SecurityRule> rules, String namespace, String service) {
    for (SecurityRule rule : rules) {
      if (rule.protects(namespace, service) && rule.mtlsMode() != null) {
        return MtlsMode.valueOf(rule.mtlsMode());
      }
    }
    return config.mtlsMode() == null ? null : MtlsMode.valueOf(config.mtlsMode());
  }
}
