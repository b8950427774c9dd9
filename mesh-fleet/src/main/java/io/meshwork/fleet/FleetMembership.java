package io.meshwork.fleet;

import io.meshwork.MeshException;
import io.meshwork.config.MeshConfig;
import io.meshwork.controlplane.CertificateRevocationList;
import io.meshwork.controlplane.ControlPlaneMembership;
import io.meshwork.controlplane.InboundGate;
import io.meshwork.controlplane.JoinRequest;
import io.meshwork.fleet.api.FleetConfig;
import io.meshwork.fleet.api.FleetView;
import io.meshwork.fleet.api.JwtSettings;
import io.meshwork.fleet.api.ObservabilitySettings;
import io.meshwork.fleet.api.SecurityRule;
import io.meshwork.fleet.api.SignedCertificate;
import io.meshwork.fleet.jwt.JwtGate;
import io.meshwork.fleet.jwt.JwtVerifier;
import io.meshwork.registry.ServiceRegistry;
import io.meshwork.security.WorkloadIdentity;
import io.meshwork.transport.TlsCredentials;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A mesh's membership of a control plane's fleet. Joining gets the first certificate by CSR, switches
 * to mutual TLS with it, and reads the fleet's state once; then the watch keeps the registry, the
 * revocation list, the JWT gate and the mesh's config in step. Everything runs on one thread of its
 * own, so views apply in order and never on a transport's event loop.
 */
final class FleetMembership implements ControlPlaneMembership {

  private static final Logger log = LoggerFactory.getLogger(FleetMembership.class);
  static final Duration JOIN_TIMEOUT = Duration.ofSeconds(20);

  private final JoinRequest request;
  private final WorkloadIdentity identity;
  private final ScheduledThreadPoolExecutor executor;
  private final ControlPlaneClient client;
  private final CsrCredentials credentials;
  private final FleetRegistry registry;
  private final JwtGate gate;
  private final FleetWatch watch;
  private volatile FleetView view;
  private volatile MeshConfig base;
  private volatile Consumer<MeshConfig> apply;
  private MeshConfig applied;
  private JwtSettings jwt;
  private JwtVerifier verifier;
  private ObservabilitySettings observability;
  private boolean mtlsWarned;
  private boolean metricsWarned;

  FleetMembership(JoinRequest request, Duration watchWait) {
    this.request = request;
    this.identity = WorkloadIdentity.of(request.trustDomain(), request.namespace(), request.service());
    this.executor = new ScheduledThreadPoolExecutor(1, runnable -> {
      Thread thread = new Thread(runnable, "meshwork-fleet-" + request.service());
      thread.setDaemon(true);
      return thread;
    });
    executor.setRemoveOnCancelPolicy(true);
    this.client = new ControlPlaneClient(request.controlPlane(), request.token(), request.transport());
    this.credentials = new CsrCredentials(identity, request.certificateTtl(), client, executor);
    this.registry = new FleetRegistry(client);
    this.gate = new JwtGate(request.service());
    this.watch = new FleetWatch(client, executor, watchWait, next -> accept(next), registry::registerAgain);
  }

  /** Joins: the first certificate, mTLS to the control plane, the first view. */
  void join() {
    try {
      SignedCertificate signed = credentials.start(JOIN_TIMEOUT);
      if (signed.controlPlaneIdentity() != null) {
        client.secure(credentials, WorkloadIdentity.parse(signed.controlPlaneIdentity()));
      }
      FleetView first = watch.first(JOIN_TIMEOUT);
      executor.submit(() -> accept(first)).get();
      watch.start();
      log.info("{}: joined the control plane at {} as {}", request.service(), request.controlPlane(),
          signed.spiffeId());
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      close();
      Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
      throw cause instanceof MeshException mesh ? mesh : new MeshException(request.service(),
          "cannot join the control plane at " + request.controlPlane() + ": " + cause.getMessage(), cause);
    } catch (InterruptedException e) {
      close();
      Thread.currentThread().interrupt();
      throw new MeshException(request.service(), "interrupted while joining " + request.controlPlane(), e);
    }
  }

  @Override
  public ServiceRegistry registry() {
    return registry;
  }

  @Override
  public TlsCredentials credentials() {
    return credentials;
  }

  @Override
  public InboundGate inboundGate() {
    return gate;
  }

  @Override
  public void follow(MeshConfig base, Consumer<MeshConfig> apply) {
    this.base = Objects.requireNonNull(base, "base");
    this.apply = Objects.requireNonNull(apply, "apply");
    try {
      executor.submit(() -> applyConfig(view)).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      log.error("{}: the control plane's config could not be applied; the mesh's own stays", request.service(),
          e.getCause());
    }
  }

  /** A new view, on the membership's thread. */
  private void accept(FleetView next) {
    view = next;
    registry.accept(next.instances() == null ? java.util.Map.of() : next.instances());
    if (next.crl() != null) {
      try {
        credentials.revocations(CertificateRevocationList.parse(next.crl(), credentials.trustAnchors(),
            "the control plane's revocation list"));
      } catch (RuntimeException e) {
        log.error("{}: ignoring a revocation list that does not verify: {}", request.service(), e.getMessage());
      }
    }
    FleetConfig config = next.config() == null ? FleetConfig.empty() : next.config();
    updateGate(next.securityRules() == null ? List.of() : next.securityRules(), config.jwt());
    if (!Objects.equals(config.observability(), observability)) {
      observability = config.observability();
      log.info("{}: the control plane's observability settings: {}", request.service(), observability);
    }
    applyConfig(next);
  }

  private void updateGate(List<SecurityRule> rules, JwtSettings settings) {
    List<SecurityRule> mine = rules.stream().filter(rule -> rule.protects(request.namespace(), request.service()))
        .toList();
    if (!Objects.equals(settings, jwt)) {
      jwt = settings;
      verifier = null;
      if (settings != null) {
        try {
          verifier = JwtVerifier.of(settings);
        } catch (RuntimeException e) {
          log.error("{}: cannot check JWTs with the control plane's settings; requests that need one are refused: {}",
              request.service(), e.getMessage());
        }
      }
    }
    gate.update(mine, verifier);
  }

  private void applyConfig(FleetView current) {
    Consumer<MeshConfig> target = apply;
    if (target == null || current == null) {
      return;
    }
    MeshConfig next = FleetPolicy.overlay(base, current.config(),
        current.trafficRules() == null ? List.of() : current.trafficRules(),
        current.securityRules() == null ? List.of() : current.securityRules(), request.namespace(), request.service());
    if (next.mtls() != null && base.mtls() != null && next.mtls() != base.mtls()) {
      // Seam: servers cannot switch mTLS mode at run time yet; the mode the mesh was built with stays.
      if (!mtlsWarned) {
        log.warn("{}: the control plane asks for mTLS {}, this mesh runs {} and keeps it until restarted",
            request.service(), next.mtls(), base.mtls());
        mtlsWarned = true;
      }
      next = next.toBuilder().mtls(base.mtls()).build();
    }
    Boolean metrics = current.config() == null || current.config().observability() == null ? null
        : current.config().observability().metricsEnabled();
    if (metrics != null && next.telemetry() != null && metrics != next.telemetry().metrics() && !metricsWarned) {
      // A running mesh's metrics are fixed at build (a series never changes shape); the mesh's own setting stays.
      log.warn("{}: the control plane asks for metrics_enabled {}, this mesh was built with {} and keeps it until"
          + " restarted", request.service(), metrics, next.telemetry().metrics());
      metricsWarned = true;
    }
    if (next.equals(applied)) {
      return;
    }
    target.accept(next);
    applied = next;
  }

  @Override
  public void close() {
    watch.close();
    registry.withdrawAll(Duration.ofSeconds(2));
    credentials.close();
    client.close();
    executor.shutdownNow();
  }
}
