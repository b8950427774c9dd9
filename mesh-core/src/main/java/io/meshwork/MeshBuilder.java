package io.meshwork;

import io.meshwork.config.ConfigSource;
import io.meshwork.config.MeshConfig;
import io.meshwork.controlplane.JoinRequest;
import io.meshwork.internal.MeshSettings;
import io.meshwork.internal.SecuritySettings;
import io.meshwork.policy.ServerLimits;
import io.meshwork.policy.ServicePolicy;
import io.meshwork.registry.InMemoryServiceRegistry;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.registry.ServiceRegistry;
import io.meshwork.security.AuthorizationPolicy;
import io.meshwork.security.CertificateAuthority;
import io.meshwork.security.CertificateBundle;
import io.meshwork.security.MtlsMode;
import io.meshwork.security.WorkloadIdentity;
import io.meshwork.telemetry.TelemetryConfig;
import io.meshwork.traffic.InboundRateLimit;
import io.meshwork.time.Scheduler;
import io.meshwork.time.Ticker;
import io.meshwork.tracing.MeshTracer;
import io.meshwork.transport.Transport;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Builds a {@link Mesh}. Every setter checks its value at once; {@link #build()} checks the whole.
 * With no {@link #transport(Transport)}, the Netty transport of mesh-netty is used when it is on the
 * class path.
 */
public final class MeshBuilder {

  private String service;
  private String namespace = ServiceInstance.DEFAULT_NAMESPACE;
  private String trustDomain = "cluster.local";
  private String host = "127.0.0.1";
  private ServiceRegistry registry;
  private Transport transport;
  private MeshConfig.Builder config = MeshConfig.builder();
  private ConfigSource configSource;
  private Ticker ticker = Ticker.system();
  private Scheduler scheduler;
  private MeshListener listener;
  private RandomGenerator random;
  private Duration shutdownGrace = Duration.ofSeconds(5);
  private CertificateAuthority certificateAuthority;
  private CertificateBundle certificates;
  private MtlsMode mtls;
  private Duration certificateTtl = CertificateAuthority.DEFAULT_TTL;
  private ServerLimits serverLimits = ServerLimits.defaults();
  private final List<CallDecorator> decorators = new ArrayList<>();
  private Map<String, String> labels = Map.of();
  private int weight = 1;
  private TelemetryConfig telemetry = TelemetryConfig.defaults();
  private MeshTracer tracer = MeshTracer.w3c();
  private int adminPort = -1;
  private String adminHost = "127.0.0.1";
  private URI controlPlane;
  private String controlPlaneToken;
  private URI revocationList;
  private Duration revocationRefresh = Duration.ofSeconds(30);

  MeshBuilder() {}

  /** This process's own service, needed to {@link Mesh#serve}; a client-only mesh may omit it. */
  public MeshBuilder service(String service) {
    this.service = ServiceInstance.checkName("service", service);
    return this;
  }

  /** This process's namespace; {@code default} unless set. */
  public MeshBuilder namespace(String namespace) {
    this.namespace = ServiceInstance.checkName("namespace", namespace);
    return this;
  }

  /** The trust domain of workload identities; {@code cluster.local} unless set. */
  public MeshBuilder trustDomain(String trustDomain) {
    this.trustDomain = WorkloadIdentity.of(trustDomain, "default", "check").trustDomain();
    return this;
  }

  /**
   * The address this process listens on and registers; 127.0.0.1 unless set. Set the address other
   * machines reach this one at in any deployment of more than one machine.
   */
  public MeshBuilder host(String host) {
    this.host = ServiceInstance.checkHost(host);
    return this;
  }

  /**
   * The labels of the instance {@link Mesh#serve} registers, such as {@code version: v2}: callers'
   * subsets select instances by them. None unless set.
   */
  public MeshBuilder labels(Map<String, String> labels) {
    Objects.requireNonNull(labels, "labels");
    labels.forEach((key, value) -> {
      if (key == null || key.isEmpty() || value == null) {
        throw new IllegalArgumentException("labels: '" + key + "'='" + value
            + "' (expected: a non-empty key and a non-null value)");
      }
    });
    this.labels = Map.copyOf(labels);
    return this;
  }

  /** The weight of the instance {@link Mesh#serve} registers, for weighted balancers; 1 unless set. */
  public MeshBuilder weight(int weight) {
    if (weight < 0 || weight > ServiceInstance.MAX_WEIGHT) {
      throw new IllegalArgumentException("weight: " + weight + " (expected: 0.." + ServiceInstance.MAX_WEIGHT
          + "; 0 drains the instance)");
    }
    this.weight = weight;
    return this;
  }

  /**
   * Adds the application's own decorator of every call this mesh makes (an auth header, a log line):
   * the outermost step of the call path, in the order added, outside each destination's own.
   */
  public MeshBuilder decorator(CallDecorator decorator) {
    decorators.add(Objects.requireNonNull(decorator, "decorator"));
    return this;
  }

  /** The registry; a new {@link InMemoryServiceRegistry} unless set. The mesh does not close it. */
  public MeshBuilder registry(ServiceRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
    return this;
  }

  /** The transport; the one found through ServiceLoader unless set. The mesh does not close it. */
  public MeshBuilder transport(Transport transport) {
    this.transport = Objects.requireNonNull(transport, "transport");
    return this;
  }

  /**
   * The certificate authority that issues this workload's certificate (and renews it at half its
   * lifetime). With one, mTLS is {@link MtlsMode#STRICT} unless {@link #mtls} says otherwise.
   */
  public MeshBuilder certificateAuthority(CertificateAuthority authority) {
    this.certificateAuthority = Objects.requireNonNull(authority, "authority");
    return this;
  }

  /**
   * This workload's own key, certificate chain and trust bundle, for workloads that bring their own
   * certificates (see {@code CertificateBundle.load}) instead of using a certificate authority.
   */
  public MeshBuilder certificates(CertificateBundle bundle) {
    this.certificates = Objects.requireNonNull(bundle, "bundle");
    return this;
  }

  /**
   * Whether calls use mutual TLS: STRICT (only mTLS, the default with credentials), PERMISSIVE
   * (this server also accepts plaintext callers; calls out still use mTLS) or DISABLED.
   */
  public MeshBuilder mtls(MtlsMode mode) {
    this.mtls = Objects.requireNonNull(mode, "mode");
    return this;
  }

  /** The lifetime of certificates issued by the certificate authority; 24 h unless set. */
  public MeshBuilder certificateTtl(Duration ttl) {
    if (ttl == null || ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("certificateTtl: " + ttl + " (expected: > 0)");
    }
    this.certificateTtl = ttl;
    return this;
  }

  /**
   * Joins the Meshwork control plane at {@code uri} (such as {@code http://10.0.0.5:8080}) with a
   * bootstrap {@code token} it issued for this workload: the mesh gets its certificate by a CSR (its
   * private key never leaves the process) and renews it the same way, registers and discovers through
   * the control plane, and follows the fleet's rules, config and revocation list. mTLS is
   * {@link MtlsMode#STRICT} unless {@link #mtls} says otherwise. Needs {@code io.meshwork:mesh-fleet}
   * on the class path; {@link #build()} fails when the control plane cannot be joined. Excludes
   * {@link #registry}, {@link #certificateAuthority} and {@link #certificates}.
   */
  public MeshBuilder controlPlane(URI uri, String token) {
    Objects.requireNonNull(uri, "uri");
    if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new IllegalArgumentException("controlPlane: '" + uri + "' (expected: http://<host>:<port>)");
    }
    if (token == null || token.isBlank()) {
      throw new IllegalArgumentException("controlPlane token: empty (expected: the bootstrap token the control"
          + " plane issued)");
    }
    this.controlPlane = uri;
    this.controlPlaneToken = token;
    return this;
  }

  /**
   * The revocation list of a workload with its own {@link #certificates}: a {@code file:} or
   * {@code http(s):} URI of a PEM X.509 CRL signed by one of its trust anchors, read again every 30 s;
   * peers whose certificate it lists are refused at the next handshake. None unless set.
   */
  public MeshBuilder revocationList(URI source) {
    return revocationList(source, Duration.ofSeconds(30));
  }

  /** Like {@link #revocationList(URI)}, read again every {@code refresh}. */
  public MeshBuilder revocationList(URI source, Duration refresh) {
    Objects.requireNonNull(source, "source");
    if (refresh == null || refresh.isNegative() || refresh.isZero()) {
      throw new IllegalArgumentException("revocationList refresh: " + refresh + " (expected: > 0)");
    }
    this.revocationList = source;
    this.revocationRefresh = refresh;
    return this;
  }

  /** Who may call this mesh's servers; everyone unless set. */
  public MeshBuilder authorization(AuthorizationPolicy policy) {
    config.authorization(Objects.requireNonNull(policy, "policy"));
    return this;
  }

  /** Limits of the servers {@link Mesh#serve} starts; {@link ServerLimits#defaults()} unless set. */
  public MeshBuilder serverLimits(ServerLimits limits) {
    this.serverLimits = Objects.requireNonNull(limits, "limits");
    return this;
  }

  /**
   * The whole policy of the mesh at start: destination policies, authorization, inbound rate limit,
   * mTLS mode. Replaces what {@link #defaultPolicy}, {@link #policy} and {@link #authorization} set
   * before; those called after change it further. {@code Mesh.apply} changes it at run time.
   */
  public MeshBuilder config(MeshConfig config) {
    this.config = Objects.requireNonNull(config, "config").toBuilder();
    return this;
  }

  /**
   * Takes the config from the {@code mesh.yaml} at {@code path} and follows it: a change of the file
   * is applied within a second ({@link Mesh#apply}); a bad new file is refused with every error
   * (listeners hear it, the log says it) and the config in force stays. Saving by rename and
   * Kubernetes ConfigMap symlink swaps are both seen. The file is read when the mesh is built, which
   * fails with {@link io.meshwork.config.InvalidConfigException} when it is bad; what it sets replaces
   * what {@link #config(MeshConfig)} and the other policy setters set.
   */
  public MeshBuilder config(Path path) {
    return configSource(ConfigSource.file(Objects.requireNonNull(path, "path")));
  }

  /**
   * Takes the config from {@code source} (a file, an etcd key, memory) and follows its changes, as
   * {@link #config(Path)} does for a file. The mesh starts the source when it is built and closes it
   * when it closes.
   */
  public MeshBuilder configSource(ConfigSource source) {
    this.configSource = Objects.requireNonNull(source, "source");
    return this;
  }

  /** The rate limit of the requests this mesh's servers accept; none unless set. */
  public MeshBuilder inboundRateLimit(InboundRateLimit limit) {
    config.inboundRateLimit(Objects.requireNonNull(limit, "limit"));
    return this;
  }

  /** The policy of every destination without one of its own. */
  public MeshBuilder defaultPolicy(ServicePolicy policy) {
    config.defaultPolicy(Objects.requireNonNull(policy, "policy"));
    return this;
  }

  /** The policy of calls to {@code service}. */
  public MeshBuilder policy(String service, ServicePolicy policy) {
    config.service(ServiceInstance.checkName("service", service), Objects.requireNonNull(policy, "policy"));
    return this;
  }

  /**
   * The source of time. A ticker that is also a {@link Scheduler} (such as {@code FakeTicker}) also
   * runs the mesh's timers, so a test moves every deadline and backoff by advancing it.
   */
  public MeshBuilder ticker(Ticker ticker) {
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    return this;
  }

  /** The scheduler of timers, when it is not the ticker's or the transport's. */
  public MeshBuilder scheduler(Scheduler scheduler) {
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    return this;
  }

  /** Told of calls, attempts, refusals, ejections, breaker changes and inbound requests. */
  public MeshBuilder listener(MeshListener listener) {
    this.listener = Objects.requireNonNull(listener, "listener");
    return this;
  }

  /**
   * What the mesh records: metrics, tracing and the access log. {@link TelemetryConfig#defaults()}
   * (metrics and tracing on, access log for errors only) unless set.
   */
  public MeshBuilder telemetry(TelemetryConfig config) {
    this.telemetry = Objects.requireNonNull(config, "config");
    return this;
  }

  /**
   * Makes the spans of calls, attempts and inbound requests, such as mesh-opentelemetry's
   * {@code OpenTelemetryTracer}. {@link MeshTracer#w3c()} (ids only, nothing exported) unless set.
   */
  public MeshBuilder tracer(MeshTracer tracer) {
    this.tracer = Objects.requireNonNull(tracer, "tracer");
    return this;
  }

  /**
   * Serves this process's admin endpoint on {@code port} (0 for any free one): {@code /metrics},
   * {@code /health}, {@code /ready} and {@code /health/report}, plain HTTP, on 127.0.0.1 unless
   * {@link #adminHost} says otherwise. Off unless set.
   */
  public MeshBuilder admin(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("admin port: " + port + " (expected: 0..65535, 0 for any free port)");
    }
    this.adminPort = port;
    return this;
  }

  /**
   * The address the admin endpoint binds; 127.0.0.1 unless set. The endpoint has no authorization:
   * bind it beyond loopback only on a network that only operators reach.
   */
  public MeshBuilder adminHost(String host) {
    this.adminHost = ServiceInstance.checkHost(host);
    return this;
  }

  /**
   * The random source of every random choice of the mesh: backoff jitter, two-choice picks, splits
   * and faults. Thread-safe, such as a seeded {@link java.util.Random} in a test that must repeat;
   * the calling thread's {@code ThreadLocalRandom} unless set.
   */
  public MeshBuilder random(RandomGenerator random) {
    this.random = Objects.requireNonNull(random, "random");
    return this;
  }

  /** How long {@link Mesh#close()} waits for in-flight calls; 5 s unless set. */
  public MeshBuilder shutdownGrace(Duration grace) {
    if (grace == null || grace.isNegative()) {
      throw new IllegalArgumentException("shutdownGrace: " + grace + " (expected: >= 0)");
    }
    this.shutdownGrace = grace;
    return this;
  }

  /**
   * The mesh. Fails with {@link InvalidConfigurationException} when no transport was given and none
   * is on the class path, or when mTLS is asked for without credentials or a service name.
   */
  public Mesh build() {
    MeshBuilderValidator validator = new MeshBuilderValidator(service, certificateAuthority != null,
        certificates != null, registry != null, configSource != null, controlPlane, revocationList);
    validator.checkSources();
    MeshConfig initial = config.build();
    MtlsMode mode = validator.mtlsMode(mtls != null ? mtls : initial.mtls());
    TelemetryConfig recorded = initial.telemetry() != null ? initial.telemetry() : telemetry;
    JoinRequest join = controlPlane == null ? null
        : new JoinRequest(controlPlane, controlPlaneToken, service, namespace, trustDomain, certificateTtl, transport);
    return MeshAssembly.assemble(join, membership -> new MeshSettings(service, namespace, trustDomain, host,
        membership != null ? membership.registry() : registry != null ? registry : new InMemoryServiceRegistry(),
        transport, initial.toBuilder().mtls(mode).telemetry(recorded).build(), ticker, scheduler, listener, random,
        shutdownGrace, serverLimits, new SecuritySettings(mode, certificateAuthority, certificates, certificateTtl,
            membership != null ? membership.credentials() : null, revocationList, revocationRefresh),
        List.copyOf(decorators), labels, weight, recorded, tracer, adminPort, adminHost, configSource, membership));
  }
}
