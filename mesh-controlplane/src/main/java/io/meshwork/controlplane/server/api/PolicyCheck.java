package io.meshwork.controlplane.server.api;

import io.meshwork.config.MeshConfig;
import io.meshwork.fleet.FleetPolicy;
import io.meshwork.fleet.api.FieldError;
import io.meshwork.fleet.api.FleetConfig;
import io.meshwork.fleet.api.SecurityRule;
import io.meshwork.fleet.api.TrafficRule;
import java.util.List;

/**
 * Checks a change the way a joined mesh will see it: the state with the change is translated into
 * the {@link MeshConfig} of {@code workload}, as every mesh translates it, and a state that makes no
 * valid config is refused (400) before it is stored.
 */
final class PolicyCheck {

  private PolicyCheck() {}

  /** The config of the workload {@code namespace/service} under the state given; fails with a 400 naming {@code field}. */
  static MeshConfig check(String field, FleetConfig config, List<TrafficRule> traffic, List<SecurityRule> security,
      String namespace, String service) {
    try {
      return FleetPolicy.overlay(MeshConfig.defaults(), config, traffic, security, namespace, service);
    } catch (IllegalArgumentException e) {
      throw new FieldError(field, "(with the rules in force)", "a change that makes a valid policy: " + e.getMessage());
    }
  }
}
