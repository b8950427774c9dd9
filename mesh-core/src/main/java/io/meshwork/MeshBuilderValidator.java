package io.meshwork;

import io.meshwork.security.MtlsMode;
import java.net.URI;

/**
 * The cross-field checks of {@link MeshBuilder#build()}: which sources of this workload's certificate,
 * registry and config may be combined, and the mTLS mode that follows from them. Each setter has
 * already checked its own value; these checks need several at once.
 */
final class MeshBuilderValidator {

  private final String service;
  private final boolean certificateAuthority;
  private final boolean certificates;
  private final boolean registry;
  private final boolean configSource;
  private final URI controlPlane;
  private final URI revocationList;

  /** The checks of a builder with {@code service} (null for none) and the sources it was given. */
  MeshBuilderValidator(String service, boolean certificateAuthority, boolean certificates, boolean registry,
      boolean configSource, URI controlPlane, URI revocationList) {
    this.service = service;
    this.certificateAuthority = certificateAuthority;
    this.certificates = certificates;
    this.registry = registry;
    this.configSource = configSource;
    this.controlPlane = controlPlane;
    this.revocationList = revocationList;
  }

  /** Fails with {@link InvalidConfigurationException} when two sources exclude each other. */
  void checkSources() {
    if (certificateAuthority && certificates) {
      throw new InvalidConfigurationException(service, "certificateAuthority and certificates are both set"
          + " (expected: one source of this workload's certificate)");
    }
    checkControlPlane();
    if (revocationList != null && !certificates) {
      throw new InvalidConfigurationException(service, "revocationList is set without certificates (expected:"
          + " MeshBuilder.certificates(...): the list is for workloads that bring their own certificates)");
    }
  }

  /**
   * The mTLS mode of the mesh: {@code asked} (by {@code MeshBuilder.mtls} or the config), else STRICT
   * with credentials and DISABLED without; fails when mTLS is asked for without credentials, or a
   * certificate authority without a service to issue for.
   */
  MtlsMode mtlsMode(MtlsMode asked) {
    boolean credentials = certificateAuthority || certificates || controlPlane != null;
    MtlsMode mode = asked != null ? asked : credentials ? MtlsMode.STRICT : MtlsMode.DISABLED;
    if (mode != MtlsMode.DISABLED && !credentials) {
      throw new InvalidConfigurationException(service, "mtls " + mode + " needs credentials (expected:"
          + " MeshBuilder.certificateAuthority(...) or MeshBuilder.certificates(...))");
    }
    if (certificateAuthority && service == null) {
      throw new InvalidConfigurationException(null, "a certificate authority issues certificates for this"
          + " mesh's service, and none is set (expected: MeshBuilder.service(\"...\"))");
    }
    return mode;
  }

  private void checkControlPlane() {
    if (controlPlane == null) {
      return;
    }
    String others = certificateAuthority ? "certificateAuthority" : certificates ? "certificates"
        : registry ? "registry" : null;
    if (others != null) {
      throw new InvalidConfigurationException(service, "controlPlane and " + others + " are both set (expected:"
          + " one of them: a mesh that joins a control plane gets its certificate and registry from it)");
    }
    if (configSource) {
      throw new InvalidConfigurationException(service, "controlPlane and config(Path)/configSource are both set"
          + " (expected: one of them: a mesh that joins a control plane follows the config it serves)");
    }
    if (service == null) {
      throw new InvalidConfigurationException(null, "controlPlane: this mesh has no service name, which its"
          + " certificate's identity needs (expected: MeshBuilder.service(\"...\"))");
    }
  }
}
