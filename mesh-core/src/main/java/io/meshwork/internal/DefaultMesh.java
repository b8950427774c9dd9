package io.meshwork.internal;

import io.meshwork.CallOptions;
import io.meshwork.InvalidConfigurationException;
import io.meshwork.Mesh;
import io.meshwork.MeshClosedException;
import io.meshwork.MeshHandler;
import io.meshwork.MeshHeaders;
import io.meshwork.MeshListener;
import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import io.meshwork.MeshServer;
import io.meshwork.ServiceClient;
import io.meshwork.config.ConfigChange;
import io.meshwork.config.ConfigSource;
import io.meshwork.config.MeshConfig;
import io.meshwork.controlplane.ControlPlaneMembership;
import io.meshwork.controlplane.RevocationListReloader;
import io.meshwork.health.HealthReport;
import io.meshwork.internal.telemetry.AdminHandler;
import io.meshwork.internal.telemetry.AdminViews;
import io.meshwork.internal.telemetry.MeshTelemetry;
import io.meshwork.internal.telemetry.TelemetryListener;
import io.meshwork.internal.telemetry.TrafficHistory;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.registry.ServiceRegistry;
import io.meshwork.security.MtlsMode;
import io.meshwork.security.WorkloadIdentity;
import io.meshwork.telemetry.MeshMetrics;
import io.meshwork.time.Scheduler;
import io.meshwork.time.SystemScheduler;
import io.meshwork.time.Ticker;
import io.meshwork.transport.ServerOptions;
import io.meshwork.transport.TlsCredentials;
import io.meshwork.transport.Transport;
import io.meshwork.transport.TransportProvider;
import io.meshwork.transport.TransportServer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * The mesh: calls through the {@link DestinationTable}, servers through {@link MeshServers}, config
 * changes through {@link LiveConfig}, the admin endpoint, and an orderly close of all of them.
 */
public final class DefaultMesh implements Mesh {

  private final MeshSettings settings;
  private final Ticker ticker;
  private final Transport transport;
  private final boolean ownsTransport;
  private final Scheduler scheduler;
  private final SystemScheduler ownScheduler;
  private final RevocationListReloader revocations;
  private final TlsCredentials credentials;
  private final LiveConfig config;
  private final DestinationTable destinations;
  private final MeshServers servers;
  private final ConfigSource configSource;
  private final InFlightCalls inFlight = new InFlightCalls();
  private final MeshTelemetry telemetry;
  private final TransportServer admin;
  /** The dashboard's sampling of the traffic; null without an admin endpoint or metrics. */
  private final Scheduler.Cancellable trafficSampling;
  private volatile boolean closed;

  /** A mesh with {@code settings}; fails when no transport is given and none can be found. */
  public DefaultMesh(MeshSettings settings) {
    this.settings = settings;
    this.ticker = settings.ticker();
    this.ownsTransport = settings.transport() == null;
    this.transport = ownsTransport ? loadTransport() : settings.transport();
    Scheduler chosen = settings.scheduler();
    if (chosen == null && ticker instanceof Scheduler tickerScheduler) {
      chosen = tickerScheduler;
    }
    if (chosen == null) {
      chosen = transport.scheduler();
    }
    this.ownScheduler = chosen == null ? new SystemScheduler("meshwork-timer") : null;
    this.scheduler = chosen != null ? chosen : ownScheduler;
    RandomGenerator random = settings.random() != null ? settings.random() : new ThreadLocalDoubles();
    SecuritySettings security = settings.security();
    this.revocations = security.revocationList() == null || security.mode() == MtlsMode.DISABLED ? null
        : new RevocationListReloader(security.revocationList(), security.revocationRefresh(),
            security.certificates().trustAnchors(), scheduler);
    TlsCredentials made;
    try {
      made = credentials(settings, scheduler, random, revocations);
    } catch (RuntimeException e) { // the first certificate failed: nothing else is made yet
      releaseUnbuilt(null);
      throw e;
    }
    this.credentials = made;
    this.telemetry = new MeshTelemetry(settings.telemetry(), settings.tracer());
    // The listener of destinations: the application's, and the telemetry's counting of their events.
    MeshListener destinationListener = telemetry.instruments() == null ? settings.listener()
        : Listeners.both(settings.listener(), new TelemetryListener(telemetry.instruments()));
    String identity = settings.service() == null ? null
        : WorkloadIdentity.of(settings.trustDomain(), settings.namespace(), settings.service()).spiffeId();
    ChainEnvironment environment = new ChainEnvironment(ticker, scheduler, random, settings.listener(),
        settings.decorators(), telemetry, identity);
    this.config = new LiveConfig(settings.config(), settings.service(), security.mode(), settings.listener(),
        telemetry, ticker, () -> closed);
    this.destinations = new DestinationTable(environment, transport, credentials, settings.registry(),
        destinationListener, config::get);
    config.reconfigures(destinations);
    this.servers = new MeshServers(settings, transport, scheduler, credentials, telemetry, config, () -> closed);
    MeshGauges.register(telemetry.instruments(), identity, credentials, destinations.destinations(),
        servers.servers());
    TrafficHistory traffic = settings.adminPort() < 0 || telemetry.instruments() == null ? null
        : new TrafficHistory(settings.service(), telemetry.instruments(), ticker, Clock.systemUTC(),
            Duration.ofSeconds(5), 120); // ten minutes
    this.admin = settings.adminPort() < 0 ? null : bindAdmin(identity, traffic);
    this.trafficSampling = traffic == null ? null : traffic.start(scheduler);
    this.configSource = settings.configSource();
    if (configSource != null) {
      try {
        config.follow(configSource); // its first document must apply, or the mesh is not built
      } catch (RuntimeException e) {
        close();
        throw e;
      }
    }
  }

  /** Binds the admin endpoint; a failure releases what the constructor made, then fails the build. */
  private TransportServer bindAdmin(String identity, TrafficHistory traffic) {
    String name = settings.service() != null ? settings.service() : "meshwork";
    AdminViews views = new AdminViews(identity, config::get, config.history(), traffic, settings.security().mode(),
        credentials);
    try {
      return transport.bind(ServerOptions.of(name, settings.adminHost(), settings.adminPort()),
          new AdminHandler(name, telemetry.registry(), this::healthReport, this::notReady, views));
    } catch (RuntimeException e) {
      releaseUnbuilt(credentials);
      throw e;
    }
  }

  /**
   * Releases what the constructor made before it failed: {@code made} credentials (a rotator's
   * renewals), the revocation list's reloading, the transport and the scheduler when the mesh owns them.
   */
  private void releaseUnbuilt(TlsCredentials made) {
    if (made instanceof CertificateRotator rotator) {
      rotator.close();
    }
    if (revocations != null) {
      revocations.close();
    }
    if (ownsTransport) {
      transport.close();
    }
    if (ownScheduler != null) {
      ownScheduler.close();
    }
  }

  /** Why this mesh cannot take traffic now, or null when it can: what the admin's /ready says. */
  private String notReady() {
    if (closed) {
      return "mesh is closed";
    }
    if (credentials != null) {
      java.util.Date notAfter = credentials.current().certificate().getNotAfter();
      if (notAfter.getTime() <= System.currentTimeMillis()) {
        return "certificate expired at " + notAfter.toInstant();
      }
    }
    return null;
  }

  @Override
  public MeshMetrics metrics() {
    return telemetry.registry();
  }

  @Override
  public OptionalInt adminPort() {
    return admin == null ? OptionalInt.empty() : OptionalInt.of(admin.port());
  }

  @Override
  public CompletableFuture<MeshResponse> call(String service, MeshRequest request, CallOptions options) {
    checkService(service);
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(options, "options");
    if (closed) {
      return CompletableFuture.failedFuture(new MeshClosedException(service, "mesh is closed"));
    }
    MeshClient chain = destinations.chain(service);
    MeshRequest sent = options.headers().isEmpty() ? request : withHeaders(request, options.headers());
    CallContext context = new CallContext(service, options, CallScope.current(), ticker.nanoTime());
    CallFuture result = new CallFuture(context);
    inFlight.started();
    CompletableFuture<MeshResponse> inner;
    try {
      inner = chain.execute(sent, context);
    } catch (RuntimeException e) {
      inner = CompletableFuture.failedFuture(e);
    }
    inner.whenComplete((response, failure) -> {
      result.completeFrom(response, failure);
      if (inFlight.ended(closed) && ownScheduler != null) {
        ownScheduler.close(); // calls left after close() ended by their deadlines on it
      }
    });
    return result;
  }

  @Override
  public ServiceClient client(String service, CallOptions options) {
    return new DefaultServiceClient(this, checkService(service), options);
  }

  @Override
  public CompletableFuture<Void> warmUp(String... services) {
    List<CompletableFuture<Void>> ready = new ArrayList<>();
    for (String service : services) {
      checkService(service);
      if (closed) {
        return CompletableFuture.failedFuture(new MeshClosedException(service, "mesh is closed"));
      }
      ready.add(new WarmUp(destinations.destination(service), scheduler).start());
    }
    return CompletableFuture.allOf(ready.toArray(new CompletableFuture<?>[0]));
  }

  @Override
  public MeshServer serve(int port, MeshHandler handler) {
    return servers.serve(port, handler);
  }

  @Override
  public HealthReport healthReport() {
    return new HealthReport(settings.service(), destinations.health(ticker.nanoTime()), servers.addresses());
  }

  @Override
  public ServiceRegistry registry() {
    return settings.registry();
  }

  @Override
  public MeshConfig config() {
    return config.get();
  }

  @Override
  public ConfigChange apply(MeshConfig next) {
    return apply(next, "Mesh.apply");
  }

  /**
   * Applies {@code next}, which came from {@code source}: the destinations whose policy changed get a
   * new chain, swapped in atomically (calls in flight finish on the old one) with the state that still
   * applies carried over; servers read the new authorization and limits from the next request on.
   */
  public ConfigChange apply(MeshConfig next, String source) {
    return config.apply(next, source);
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    if (configSource != null) {
      configSource.close();
    }
    servers.close();
    // The mesh's own timers end before the transport (whose scheduler may run them) closes.
    if (credentials instanceof CertificateRotator rotator) {
      rotator.close();
    }
    if (revocations != null) {
      revocations.close();
    }
    ControlPlaneMembership membership = settings.membership();
    if (membership != null) {
      membership.close(); // after the servers: their deregistrations go through it
    }
    inFlight.await(settings.shutdownGrace().toNanos());
    destinations.close();
    if (trafficSampling != null) {
      trafficSampling.cancel();
    }
    if (admin != null) {
      admin.close(Duration.ZERO);
    }
    if (ownsTransport) {
      transport.close();
    }
    if (inFlight.none() && ownScheduler != null) {
      ownScheduler.close();
    }
  }

  /** The mesh's own TLS credentials, or null when mTLS is disabled. */
  private static TlsCredentials credentials(MeshSettings settings, Scheduler scheduler, RandomGenerator random,
      RevocationListReloader revocations) {
    SecuritySettings security = settings.security();
    if (security.mode() == MtlsMode.DISABLED) {
      return null;
    }
    if (security.credentials() != null) {
      return security.credentials();
    }
    if (security.authority() != null) {
      WorkloadIdentity identity = WorkloadIdentity.of(settings.trustDomain(), settings.namespace(), settings.service());
      return new CertificateRotator(security.authority(), identity, security.certificateTtl(), scheduler, random);
    }
    return new StaticCredentials(security.certificates(), settings.trustDomain(), revocations);
  }

  /** This mesh's TLS credentials, or null when mTLS is disabled. */
  public TlsCredentials tlsCredentials() {
    return credentials;
  }

  /** {@code request} with {@code headers} replacing its fields of the same names. */
  private static MeshRequest withHeaders(MeshRequest request, MeshHeaders headers) {
    MeshHeaders.Builder merged = request.headers().toBuilder();
    for (String name : headers.names()) {
      merged.remove(name);
    }
    return request.toBuilder().headers(merged.addAll(headers).build()).build();
  }

  private static String checkService(String service) {
    return ServiceInstance.checkName("service", service);
  }

  private static Transport loadTransport() {
    Iterator<TransportProvider> providers = ServiceLoader.load(TransportProvider.class).iterator();
    if (!providers.hasNext()) {
      throw new InvalidConfigurationException(null, "no transport: add io.meshwork:mesh-netty to the class"
          + " path, or pass one with MeshBuilder.transport(...) (InMemoryTransport for tests)");
    }
    return providers.next().create();
  }

  /** Jitter from the calling thread's random source. */
  private static final class ThreadLocalDoubles implements RandomGenerator {
    @Override
    public long nextLong() {
      return ThreadLocalRandom.current().nextLong();
    }

    @Override
    public double nextDouble() {
      return ThreadLocalRandom.current().nextDouble();
    }
  }
}
