package io.meshwork.internal;

import io.meshwork.CallOptions;
import io.meshwork.InvalidConfigurationException;
import io.meshwork.Mesh;
import io.meshwork.MeshClosedException;
import io.meshwork.MeshException;
import io.meshwork.MeshHandler;
import io.meshwork.MeshHeaders;
import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import io.meshwork.MeshServer;
import io.meshwork.ServiceClient;
import io.meshwork.health.DestinationHealth;
import io.meshwork.config.ConfigChange;
import io.meshwork.config.MeshConfig;
import io.meshwork.controlplane.ControlPlaneMembership;
import io.meshwork.controlplane.InboundGate;
import io.meshwork.controlplane.RevocationListReloader;
import io.meshwork.health.HealthReport;
import io.meshwork.loadbalancer.BalancerEnvironment;
import io.meshwork.policy.ServicePolicy;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.registry.ServiceRegistry;
import io.meshwork.security.MtlsMode;
import io.meshwork.security.WorkloadIdentity;
import io.meshwork.time.Scheduler;
import io.meshwork.time.SystemScheduler;
import io.meshwork.time.Ticker;
import io.meshwork.transport.ClientOptions;
import io.meshwork.transport.ServerOptions;
import io.meshwork.transport.TlsCredentials;
import io.meshwork.transport.TransportClient;
import io.meshwork.transport.Transport;
import io.meshwork.transport.TransportProvider;
import io.meshwork.transport.TransportServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
  private final List<MeshServer> servers = new CopyOnWriteArrayList<>();
  private final Object closeLock = new Object();
  private final AtomicInteger inFlight = new AtomicInteger();
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
    this.environment = new ChainEnvironment(ticker, scheduler, random, settings.listener(), settings.decorators());
    RouteChecks.check(settings.config());
    this.config = settings.config(); // its mtls is the mode the mesh was built with
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
    TransportServer server = transport.bind(options,
        new InboundPipeline(service, handler, ticker, scheduler, () -> config.authorization(),
            settings.membership() != null ? settings.membership().inboundGate() : InboundGate.OPEN));
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
          settings.listener(), new BalancerEnvironment(ticker, random));
      ChainState state = ChainState.of(service, policy, null, ticker);
      MeshClient chain = CallChain.build(destination, environment, this::target, state);
      destination.checkHealth(healthChecker(destination, policy));
      destination.subscribe(settings.registry().watch(service, destination::onInstances));
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
      if (next.mtls() != null && next.mtls() != settings.security().mode()) {
        throw new InvalidConfigurationException(settings.service(), "mtls: " + next.mtls() + " (expected: "
            + settings.security().mode() + ", the mode this mesh's servers and credentials were built with)");
      }
    } catch (InvalidConfigurationException e) {
      Listeners.configRejected(settings.listener(), source, e);
      throw e;
    }
    ConfigChange change;
    synchronized (destinations) {
      MeshConfig previous = config;
      MeshConfig normalized = next.mtls() != null ? next : next.toBuilder().mtls(previous.mtls()).build();
      change = ConfigChange.between(previous, normalized);
      config = normalized;
      for (Destination destination : destinations.values()) {
        ServicePolicy policy = next.policyFor(destination.service);
        if (!policy.equals(destination.policy)) {
          reconfigure(destination, policy);
        }
      }
    }
    Listeners.configApplied(settings.listener(), source, change);
    return change;
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
