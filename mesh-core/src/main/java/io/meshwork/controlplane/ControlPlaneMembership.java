package io.meshwork.controlplane;

import io.meshwork.config.MeshConfig;
import io.meshwork.registry.ServiceRegistry;
import io.meshwork.transport.TlsCredentials;
import java.util.function.Consumer;

/**
 * A mesh's membership of a control plane's fleet: the registry it discovers and registers through,
 * its certificate (obtained and renewed by CSR), the fleet's revocation list, and the fleet's config,
 * which it follows. When the control plane is unreachable, every part keeps its last known state.
 */
public interface ControlPlaneMembership extends AutoCloseable {

  /** The fleet's registry, as the control plane serves it; registrations go to the control plane. */
  ServiceRegistry registry();

  /** This workload's certificate, renewed before it expires, and the fleet's revoked serials. */
  TlsCredentials credentials();

  /** The checks the fleet's security rules ask of inbound requests (JWT), before authorization. */
  InboundGate inboundGate();

  /**
   * Starts following the fleet's config: {@code apply} is called with {@code base} changed by the
   * control plane's rules and config now, and again after every change. {@code apply} may throw to
   * refuse a config; the mesh then keeps the one in force.
   */
  void follow(MeshConfig base, Consumer<MeshConfig> apply);

  /** Stops following and releases the connection; registrations made through it are withdrawn first. */
  @Override
  void close();
}
