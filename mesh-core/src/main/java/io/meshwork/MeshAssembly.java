package io.meshwork;

import io.meshwork.controlplane.ControlPlaneConnector;
import io.meshwork.controlplane.ControlPlaneMembership;
import io.meshwork.controlplane.JoinRequest;
import io.meshwork.internal.DefaultMesh;
import io.meshwork.internal.MeshSettings;
import java.util.function.Function;

/**
 * Makes the mesh a checked {@link MeshBuilder} describes. A mesh that joins a control plane joins it
 * first (its settings take their registry and credentials from the membership), then follows the
 * config it serves; a mesh that cannot be built leaves the control plane again.
 */
final class MeshAssembly {

  private MeshAssembly() {}

  /**
   * The mesh of the settings {@code settings} makes from the membership of {@code join}, or from null
   * when {@code join} is null (a mesh that joins no control plane).
   */
  static Mesh assemble(JoinRequest join, Function<ControlPlaneMembership, MeshSettings> settings) {
    ControlPlaneMembership membership = join == null ? null : ControlPlaneConnector.load().join(join);
    try {
      DefaultMesh mesh = new DefaultMesh(settings.apply(membership));
      if (membership != null) {
        membership.follow(mesh.config(), next -> mesh.apply(next, "control plane"));
      }
      return mesh;
    } catch (RuntimeException e) {
      if (membership != null) {
        membership.close();
      }
      throw e;
    }
  }
}
