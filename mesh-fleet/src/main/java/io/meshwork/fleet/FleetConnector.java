package io.meshwork.fleet;

import io.meshwork.controlplane.ControlPlaneConnector;
import io.meshwork.controlplane.ControlPlaneMembership;
import io.meshwork.controlplane.JoinRequest;
import java.time.Duration;

/**
 * Joins meshes to a Meshwork control plane: {@code MeshBuilder.controlPlane(uri, token)} finds it on
 * the class path through {@link java.util.ServiceLoader}.
 */
public final class FleetConnector implements ControlPlaneConnector {

  /** How long the control plane may hold a watch before it answers "no change". */
  static final Duration WATCH_WAIT = Duration.ofSeconds(30);

  /** The connector {@link java.util.ServiceLoader} makes. */
  public FleetConnector() {}

  @Override
  public ControlPlaneMembership join(JoinRequest request) {
    FleetMembership membership = new FleetMembership(request, WATCH_WAIT);
    membership.join();
    return membership;
  }
}
