package io.meshwork.controlplane;

import io.meshwork.InvalidConfigurationException;
import java.util.Iterator;
import java.util.ServiceLoader;

/**
 * Joins a mesh to a Meshwork control plane; found through {@link ServiceLoader}. The module
 * {@code io.meshwork:mesh-fleet} provides one.
 */
public interface ControlPlaneConnector {

  /**
   * Joins: gets this workload's first certificate (by CSR) and the fleet's state, then returns.
   *
   * @throws io.meshwork.MeshException naming the control plane when it cannot be joined
   */
  ControlPlaneMembership join(JoinRequest request);

  /**
   * The connector on the class path.
   *
   * @throws InvalidConfigurationException when there is none
   */
  static ControlPlaneConnector load() {
    Iterator<ControlPlaneConnector> connectors = ServiceLoader.load(ControlPlaneConnector.class).iterator();
    if (!connectors.hasNext()) {
      throw new InvalidConfigurationException(null, "controlPlane: no connector on the class path (expected:"
          + " io.meshwork:mesh-fleet as a dependency)");
    }
    return connectors.next();
  }
}
