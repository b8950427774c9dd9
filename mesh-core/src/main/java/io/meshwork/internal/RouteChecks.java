package io.meshwork.internal;

import io.meshwork.InvalidConfigurationException;
import io.meshwork.config.MeshConfig;
import io.meshwork.policy.ServicePolicy;
import io.meshwork.traffic.RouteDestination;
import io.meshwork.traffic.RouteRule;
import java.util.Map;

/**
 * Checks what one policy cannot check alone: every subset a route (or its mirror) sends calls to is
 * declared by the policy of that destination service.
 */
final class RouteChecks {

  private RouteChecks() {}

  static void check(MeshConfig config) {
    check(config, "defaultPolicy", config.defaultPolicy());
    for (Map.Entry<String, ServicePolicy> entry : config.services().entrySet()) {
      check(config, entry.getKey(), entry.getValue());
    }
  }

  private static void check(MeshConfig settings, String owner, ServicePolicy policy) {
    for (RouteRule rule : policy.routes()) {
      for (RouteDestination destination : rule.destinations()) {
        checkSubset(settings, owner, rule, destination, "sends calls to");
      }
      if (rule.mirror() != null) {
        checkSubset(settings, owner, rule, rule.mirror().destination(), "mirrors calls to");
      }
    }
  }

  private static void checkSubset(MeshConfig settings, String owner, RouteRule rule,
      RouteDestination destination, String verb) {
    if (destination.subset() == null) {
      return;
    }
    Map<String, Map<String, String>> declared = settings.policyFor(destination.service()).subsets();
    if (!declared.containsKey(destination.subset())) {
      throw new InvalidConfigurationException(owner, "route '" + rule.name() + "' " + verb + " subset "
          + destination.subset() + " of " + destination.service() + ", which its policy does not declare"
          + " (declared: " + declared.keySet() + ")");
    }
  }
}
