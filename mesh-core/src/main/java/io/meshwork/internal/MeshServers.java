package io.meshwork.internal;

import io.meshwork.InvalidConfigurationException;
import io.meshwork.MeshClosedException;
import io.meshwork.MeshException;
import io.meshwork.MeshHandler;
import io.meshwork.MeshServer;
import io.meshwork.controlplane.InboundGate;
import io.meshwork.internal.telemetry.MeshTelemetry;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.time.Scheduler;
import io.meshwork.transport.InboundHandler;
import io.meshwork.transport.ServerOptions;
import io.meshwork.transport.TlsCredentials;
import io.meshwork.transport.Transport;
import io.meshwork.transport.TransportServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The server side of a mesh: {@code Mesh.serve} binds a server whose requests go through the inbound
 * pipeline (authorization, rate limit, the control plane's gate) and its telemetry, registers the
 * instance it serves, and keeps it until it or the mesh closes.
 */
final class MeshServers implements AutoCloseable {

  private final MeshSettings settings;
  private final Transport transport;
  private final Scheduler scheduler;
  private final TlsCredentials credentials;
  private final MeshTelemetry telemetry;
  private final LiveConfig config;
  private final BooleanSupplier closed;
  private final List<MeshServer> servers = new CopyOnWriteArrayList<>();

  MeshServers(MeshSettings settings, Transport transport, Scheduler scheduler, TlsCredentials credentials,
      MeshTelemetry telemetry, LiveConfig config, BooleanSupplier closed) {
    this.settings = settings;
    this.transport = transport;
    this.scheduler = scheduler;
    this.credentials = credentials;
    this.telemetry = telemetry;
    this.config = config;
    this.closed = closed;
  }

  /** Serves {@code handler} on {@code port} (0 for any free one) and registers the instance. */
  MeshServer serve(int port, MeshHandler handler) {
    Objects.requireNonNull(handler, "handler");
    if (settings.service() == null) {
      throw new InvalidConfigurationException(null,
          "serve: this mesh has no service name (expected: MeshBuilder.service(\"...\"))");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port: " + port + " (expected: 0..65535, 0 for any free port)");
    }
    if (closed.getAsBoolean()) {
      throw new MeshClosedException(settings.service(), "mesh is closed");
    }
    String service = settings.service();
    ServerOptions options = ServerOptions.of(service, settings.host(), port, settings.serverLimits());
    if (credentials != null) {
      options = options.withTls(settings.security().mode(), credentials);
    }
    InboundHandler inbound = new InboundPipeline(service, handler, settings.ticker(), scheduler, config::get,
        config::inboundLimiter,
        settings.membership() != null ? settings.membership().inboundGate() : InboundGate.OPEN);
    // The inbound request's trace, metrics and access log, around the pipeline.
    TransportServer server = transport.bind(options,
        new InboundTelemetry(service, inbound, telemetry, settings.listener(), settings.ticker()));
    ServiceInstance instance = ServiceInstance.builder(service, settings.host() + ":" + server.port())
        .namespace(settings.namespace()).host(settings.host()).port(server.port())
        .labels(settings.labels()).weight(settings.weight()).build();
    try {
      settings.registry().register(instance).get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      server.close(Duration.ZERO);
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new MeshException(service, "could not register " + instance.address() + ": " + e, e);
    }
    MeshServer[] self = new MeshServer[1];
    self[0] = new DefaultMeshServer(instance, server, settings.registry(), settings.shutdownGrace(),
        () -> servers.remove(self[0]));
    servers.add(self[0]);
    return self[0];
  }

  /** A live, unmodifiable view of the servers open, for gauges. */
  Collection<MeshServer> servers() {
    return Collections.unmodifiableCollection(servers);
  }

  /** The addresses of the instances served now. */
  List<String> addresses() {
    List<String> served = new ArrayList<>();
    for (MeshServer server : servers) {
      served.add(server.instance().address());
    }
    return served;
  }

  /** Closes every server: each deregisters, then drains for the shutdown grace. */
  @Override
  public void close() {
    for (MeshServer server : List.copyOf(servers)) {
      server.close();
    }
  }
}
