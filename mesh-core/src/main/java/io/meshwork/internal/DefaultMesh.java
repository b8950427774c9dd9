package io.meshwork.internal;

import io.meshwork.CallOptions;
import io.meshwork.InvalidConfigurationException;
import io.meshwork.Mesh;
import io.meshwork.MeshClosedException;
import io.meshwork.MeshException;
import io.meshwork.MeshHandler;
import io.meshwork.MeshHeaders;
import io.meshwork.MeshListener;
import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import io.meshwork.MeshServer;
import io.meshwork.ServiceClient;
import io.meshwork.health.DestinationHealth;
import io.meshwork.config.ConfigChange;
import io.meshwork.config.ConfigSource;
import io.meshwork.config.MeshConfig;
import io.meshwork.controlplane.ControlPlaneMembership;
import io.meshwork.controlplane.InboundGate;
import io.meshwork.controlplane.RevocationListReloader;
import io.meshwork.health.HealthReport;
import io.meshwork.internal.telemetry.AdminHandler;
import io.meshwork.internal.telemetry.AdminViews;
import io.meshwork.internal.telemetry.ConfigHistory;
import io.meshwork.internal.telemetry.DestinationGauges;
import io.meshwork.internal.telemetry.MeshTelemetry;
import io.meshwork.internal.telemetry.TelemetryListener;
import io.meshwork.internal.telemetry.TrafficHistory;
import io.meshwork.loadbalancer.BalancerEnvironment;
import io.meshwork.policy.ServicePolicy;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.traffic.InboundRateLimit;
import io.meshwork.registry.ServiceRegistry;
import io.meshwork.security.MtlsMode;
import io.meshwork.security.WorkloadIdentity;
import io.meshwork.telemetry.MeshMetrics;
import io.meshwork.time.Scheduler;
import io.meshwork.time.SystemScheduler;
import io.meshwork.time.Ticker;
import io.meshwork.transport.ClientOptions;
import io.meshwork.transport.InboundHandler;
import io.meshwork.transport.ServerOptions;
import io.meshwork.transport.TlsCredentials;
import io.meshwork.transport.TransportClient;
import io.meshwork.transport.Transport;
import io.meshwork.transport.TransportProvider;
import io.meshwork.transport.TransportServer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;

/** The mesh: destinations made on first call, servers, and an orderly close. */
public final class DefaultMesh implements Mesh {

  private final MeshSettings settings;
  private final Ticker ticker;
  private final Transport transport;
  private final boolean ownsTransport;
  private final Scheduler scheduler;
  private final SystemScheduler ownScheduler;
  private final RandomGenerator random;
  private final RevocationListReloader revocations;
  private final TlsCredentials credentials;
  private final ChainEnvironment environment;
  private final Map<String, Destination> destinations = new ConcurrentHashMap<>();
  private final Map<String, MeshClient> chains = new ConcurrentHashMap<>();
  private final Map<String, ChainState> chainStates = new ConcurrentHashMap<>();
  private final List<TransportClient> retired = new CopyOnWriteArrayList<>();
  private volatile MeshConfig config;
  private final ConfigSource configSource;
  /** The inbound rate limit in force, shared by this mesh's servers; null for none. */
  private volatile InboundRateLimiter inboundLimiter;
  private final List<MeshServer> servers = new CopyOnWriteArrayList<>();
  private final Object closeLock = new Object();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final MeshTelemetry telemetry;
  /** The listener of destinations: the application's, and the telemetry's counting of their events. */
  private final MeshListener destinationListener;
  private final TransportServer admin;
  /** The config changes applied and refused, for the admin endpoint. */
  private final ConfigHistory configHistory = new ConfigHistory(Clock.systemUTC(), ConfigHistory.LIMIT);
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
    this.random = settings.random() != null ? settings.random() : new ThreadLocalDoubles();
    SecuritySettings security = settings.security();
    this.revocations = security.revocationList() == null || security.mode() == MtlsMode.DISABLED ? null
        : new RevocationListReloader(security.revocationList(), security.revocationRefresh(),
            security.certificates().trustAnchors(), scheduler);
    this.credentials = credentials(settings, scheduler, random, revocations);
    this.telemetry = new MeshTelemetry(settings.telemetry(), settings.tracer());
    this.destinationListener = telemetry.instruments() == null ? settings.listener()
        : Listeners.both(settings.listener(), new TelemetryListener(telemetry.instruments()));
    String identity = settings.service() == null ? null
        : WorkloadIdentity.of(settings.trustDomain(), settings.namespace(), settings.service()).spiffeId();
    this.environment = new ChainEnvironment(ticker, scheduler, random, settings.listener(), settings.decorators(),
        telemetry, identity);
    RouteChecks.check(settings.config());
    this.config = settings.config(); // its mtls is the mode the mesh was built with
    this.inboundLimiter = inboundLimiter(config.inboundRateLimit(), null);
    MeshGauges.register(telemetry.instruments(), identity, credentials, destinations.values(), servers);
    configHistory.built("MeshBuilder");
    TrafficHistory traffic = settings.adminPort() < 0 || telemetry.instruments() == null ? null
        : new TrafficHistory(settings.service(), telemetry.instruments(), ticker, Clock.systemUTC(),
            Duration.ofSeconds(5), 120); // ten minutes
    this.admin = settings.adminPort() < 0 ? null : bindAdmin(identity, traffic);
    this.trafficSampling = traffic == null ? null : traffic.start(scheduler);
    this.configSource = settings.configSource();
    if (configSource != null) {
      followConfig(configSource);
    }
  }

  /**
   * Starts {@code source}: its first document (delivered before {@code start} returns, when it has
   * one at once) must apply, or the mesh is not built; later ones are applied as they come, and a
   * refused one leaves the config in force.
   */
  private void followConfig(ConfigSource source) {
    String name = source.toString();
    InvalidConfigurationException[] atStart = new InvalidConfigurationException[1];
    boolean[] started = new boolean[1];
    try {
      source.start(next -> {
        try {
          apply(next, name);
        } catch (InvalidConfigurationException refused) {
          if (!started[0]) {
            atStart[0] = refused;
          } // later: apply already told the listeners and the log
        }
      }, rejected -> {
        if (!started[0]) {
          atStart[0] = rejected;
        } else {
          configHistory.rejected(name, rejected.getMessage());
          Listeners.configRejected(settings.listener(), name, rejected);
        }
      });
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    started[0] = true;
    if (atStart[0] != null) {
      close();
      throw atStart[0];
    }
  }

  /** Binds the admin endpoint; a failure releases what the constructor made, then fails the build. */
  private TransportServer bindAdmin(String identity, TrafficHistory traffic) {
    String name = settings.service() != null ? settings.service() : "meshwork";
    AdminViews views = new AdminViews(identity, () -> config, configHistory, traffic, settings.security().mode(),
        credentials);
    try {
      return transport.bind(ServerOptions.of(name, settings.adminHost(), settings.adminPort()),
          new AdminHandler(name, telemetry.registry(), this::healthReport, this::notReady, views));
    } catch (RuntimeException e) {
      if (credentials instanceof CertificateRotator rotator) {
        rotator.close();
      }
      if (ownsTransport) {
        transport.close();
      }
      if (ownScheduler != null) {
        ownScheduler.close();
      }
      throw e;
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
    MeshClient chain = chains.get(service);
    if (chain == null) {
      chain = open(service).chain;
    }
    MeshRequest sent = options.headers().isEmpty() ? request : withHeaders(request, options.headers());
    CallContext context = new CallContext(service, options, CallScope.current(), ticker.nanoTime());
    CallFuture result = new CallFuture(context);
    inFlight.incrementAndGet();
    CompletableFuture<MeshResponse> inner;
    try {
      inner = chain.execute(sent, context);
    } catch (RuntimeException e) {
      inner = CompletableFuture.failedFuture(e);
    }
    inner.whenComplete((response, failure) -> {
      result.completeFrom(response, failure);
      callEnded();
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
      ready.add(new WarmUp(open(service).destination, scheduler).start());
    }
    return CompletableFuture.allOf(ready.toArray(new CompletableFuture<?>[0]));
  }

  @Override
  public MeshServer serve(int port, MeshHandler handler) {
    Objects.requireNonNull(handler, "handler");
    if (settings.service() == null) {
      throw new InvalidConfigurationException(null,
          "serve: this mesh has no service name (expected: MeshBuilder.service(\"...\"))");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port: " + port + " (expected: 0..65535, 0 for any free port)");
    }
    if (closed) {
      throw new MeshClosedException(settings.service(), "mesh is closed");
    }
    String service = settings.service();
    ServerOptions options = ServerOptions.of(service, settings.host(), port, settings.serverLimits());
    if (credentials != null) {
      options = options.withTls(settings.security().mode(), credentials);
    }
    InboundHandler inbound = new InboundPipeline(service, handler, ticker, scheduler, () -> config,
        () -> inboundLimiter, settings.membership() != null ? settings.membership().inboundGate() : InboundGate.OPEN);
    // The inbound request's trace, metrics and access log, around the pipeline.
    TransportServer server = transport.bind(options,
        new InboundTelemetry(service, inbound, telemetry, settings.listener(), ticker));
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

  @Override
  public HealthReport healthReport() {
    long now = ticker.nanoTime();
    List<DestinationHealth> health = new ArrayList<>();
    for (Destination destination : destinations.values()) {
      health.add(destination.health(now));
    }
    List<String> served = new ArrayList<>();
    for (MeshServer server : servers) {
      served.add(server.instance().address());
    }
    return new HealthReport(settings.service(), health, served);
  }

  @Override
  public ServiceRegistry registry() {
    return settings.registry();
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
    for (MeshServer server : List.copyOf(servers)) {
      server.close();
    }
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
    awaitCalls(settings.shutdownGrace().toNanos());
    for (Destination destination : destinations.values()) {
      destination.close();
    }
    retired.forEach(TransportClient::close);
    if (trafficSampling != null) {
      trafficSampling.cancel();
    }
    if (admin != null) {
      admin.close(Duration.ZERO);
    }
    if (ownsTransport) {
      transport.close();
    }
    if (inFlight.get() == 0 && ownScheduler != null) {
      ownScheduler.close();
    }
  }

  /** The destination and chain of {@code service}, made and watched on first use. */
  private Opened open(String service) {
    synchronized (destinations) {
      Destination existing = destinations.get(service);
      if (existing != null) {
        return new Opened(existing, chains.get(service));
      }
      ServicePolicy policy = config.policyFor(service);
      Destination destination = new Destination(service, policy, newClient(service, policy), ticker,
          destinationListener, new BalancerEnvironment(ticker, random));
      ChainState state = ChainState.of(service, policy, null, ticker);
      MeshClient chain = CallChain.build(destination, environment, this::target, state);
      destination.checkHealth(healthChecker(destination, policy));
      DestinationGauges gauges = telemetry.instruments() == null ? null
          : new DestinationGauges(telemetry.instruments(), service, destination::count, () -> destination.client.stats());
      destination.subscribe(settings.registry().watch(service, gauges == null ? destination::onInstances
          : instances -> {
            destination.onInstances(instances);
            gauges.instances(destination.breakers()); // a breaker gauge per instance
          }));
      destinations.put(service, destination);
      chainStates.put(service, state);
      chains.put(service, chain);
      return new Opened(destination, chain);
    }
  }

  private TransportClient newClient(String service, ServicePolicy policy) {
    return transport.client(new ClientOptions(service, policy.protocol(), policy.connectTimeout(),
        policy.maxResponseBytes(), credentials));
  }

  private HealthChecker healthChecker(Destination destination, ServicePolicy policy) {
    return policy.healthCheck().enabled() ? new HealthChecker(destination.service, policy.healthCheck(),
        () -> destination.client, settings.registry(), scheduler, random) : null;
  }

  @Override
  public MeshConfig config() {
    return config;
  }

  @Override
  public ConfigChange apply(MeshConfig next) {
    return apply(next, "Mesh.apply");
  }

  /**
   * Applies {@code next}: the destinations whose policy changed get a new chain, swapped in
   * atomically (calls in flight finish on the old one) with the state that still applies carried
   * over; servers read the new authorization and limits from the next request on.
   */
  public ConfigChange apply(MeshConfig next, String source) {
    Objects.requireNonNull(next, "config");
    if (closed) {
      throw new MeshClosedException(settings.service(), "mesh is closed");
    }
    try {
      RouteChecks.check(next);
      if (next.telemetry() != null) {
        try {
          telemetry.check(next.telemetry());
        } catch (IllegalArgumentException e) {
          throw new InvalidConfigurationException(settings.service(), e.getMessage());
        }
      }
      if (next.mtls() != null && next.mtls() != settings.security().mode()) {
        throw new InvalidConfigurationException(settings.service(), "mtls: " + next.mtls() + " (expected: "
            + settings.security().mode() + ", the mode this mesh's servers and credentials were built with)");
      }
    } catch (InvalidConfigurationException e) {
      configHistory.rejected(source, e.getMessage());
      Listeners.configRejected(settings.listener(), source, e);
      throw e;
    }
    ConfigChange change;
    synchronized (destinations) {
      MeshConfig previous = config;
      MeshConfig normalized = next.toBuilder()
          .mtls(next.mtls() != null ? next.mtls() : previous.mtls())
          .telemetry(next.telemetry() != null ? next.telemetry() : previous.telemetry()).build();
      change = ConfigChange.between(previous, normalized);
      config = normalized;
      if (change.telemetry()) {
        telemetry.reconfigure(normalized.telemetry());
      }
      inboundLimiter = inboundLimiter(normalized.inboundRateLimit(), inboundLimiter);
      for (Destination destination : destinations.values()) {
        ServicePolicy policy = next.policyFor(destination.service);
        // A telemetry change rebuilds every chain: whether telemetry stages are in it depends on it.
        if (!policy.equals(destination.policy) || change.telemetry()) {
          reconfigure(destination, policy);
        }
      }
    }
    configHistory.applied(source, change);
    Listeners.configApplied(settings.listener(), source, change);
    return change;
  }

  /** The limiter of {@code limit}: {@code current} when it already enforces that limit (keeping its buckets). */
  private InboundRateLimiter inboundLimiter(InboundRateLimit limit, InboundRateLimiter current) {
    if (limit == null) {
      return null;
    }
    return current != null && current.limit().equals(limit) ? current : new InboundRateLimiter(limit, ticker);
  }

  private void reconfigure(Destination destination, ServicePolicy policy) {
    String service = destination.service;
    ServicePolicy old = destination.policy;
    boolean newClient = old.protocol() != policy.protocol() || !old.connectTimeout().equals(policy.connectTimeout())
        || old.maxResponseBytes() != policy.maxResponseBytes();
    TransportClient replaced = destination.reconfigure(policy, newClient ? newClient(service, policy) : null,
        healthChecker(destination, policy));
    ChainState state = ChainState.of(service, policy, chainStates.get(service), ticker);
    chainStates.put(service, state);
    chains.put(service, CallChain.build(destination, environment, this::target, state));
    if (replaced != null) {
      // Attempts already on it finish; none can start on it after the old policy's deadline.
      retired.add(replaced);
      scheduler.schedule(() -> {
        retired.remove(replaced);
        replaced.close();
      }, old.timeout().toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  private record Opened(Destination destination, MeshClient chain) {}

  /** The target of a route's destination: {@code service}'s subset, or all of it. */
  private Target target(String service, String subset) {
    Destination destination = open(checkService(service)).destination;
    return subset == null ? destination.all() : destination.subset(subset);
  }

  private void callEnded() {
    if (inFlight.decrementAndGet() == 0 && closed) {
      synchronized (closeLock) {
        closeLock.notifyAll();
      }
      if (ownScheduler != null) {
        ownScheduler.close(); // calls left after close() ended by their deadlines on it
      }
    }
  }

  /** Waits (really: close is a blocking call) until no call is in flight or the grace has passed. */
  private void awaitCalls(long graceNanos) {
    long end = System.nanoTime() + graceNanos;
    synchronized (closeLock) {
      while (inFlight.get() > 0) {
        long left = end - System.nanoTime();
        if (left <= 0) {
          return;
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(closeLock, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
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
