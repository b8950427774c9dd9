package io.meshwork.controlplane.server;

import io.meshwork.controlplane.server.api.ApiContext;
import io.meshwork.controlplane.server.api.ApiRoutes;
import io.meshwork.controlplane.server.api.FleetViews;
import io.meshwork.controlplane.server.api.MetricsExposition;
import io.meshwork.controlplane.server.api.TokenHash;
import io.meshwork.controlplane.server.api.WatchHub;
import io.meshwork.controlplane.server.ca.FleetAuthority;
import io.meshwork.controlplane.server.ca.ServerCredentials;
import io.meshwork.controlplane.server.state.EndpointChecker;
import io.meshwork.controlplane.server.state.FleetState;
import io.meshwork.controlplane.server.state.RegistryMirror;
import io.meshwork.controlplane.server.store.EtcdStateStore;
import io.meshwork.controlplane.server.store.MemoryStateStore;
import io.meshwork.controlplane.server.store.OwnerOnly;
import io.meshwork.controlplane.server.store.StateStore;
import io.meshwork.etcd.EtcdServiceRegistry;
import io.meshwork.netty.NettyTransport;
import io.meshwork.registry.InMemoryServiceRegistry;
import io.meshwork.registry.ServiceRegistry;
import io.meshwork.policy.ServerLimits;
import io.meshwork.security.MtlsMode;
import io.meshwork.transport.ServerOptions;
import io.meshwork.transport.TransportServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Meshwork control plane: the seeds' REST API over the fleet's registry, rules, config and
 * CA, on one port (plaintext and mutual TLS, PERMISSIVE), with its state in memory (saved in the data
 * directory) or in etcd. Start one with {@link #builder()}; {@code Main} is the command line.
 */
public final class ControlPlaneServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ControlPlaneServer.class);

  private final ControlPlaneSettings settings;
  private final List<AutoCloseable> resources = new ArrayList<>();
  private final FleetAuthority authority;
  private final TransportServer server;
  private final String store;
  private final ServerCredentials credentials;
  private final WatchHub watches;

  private ControlPlaneServer(ControlPlaneSettings settings, MetricsExposition metrics) {
    this.settings = settings;
    try {
      if (!Files.exists(settings.dataDirectory())) {
        Files.createDirectories(settings.dataDirectory(), OwnerOnly.DIRECTORY);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make the data directory " + settings.dataDirectory(), e);
    }
    try {
      StateStore stateStore = settings.etcd().isEmpty()
          ? new MemoryStateStore(settings.dataDirectory().resolve("state.json"))
          : new EtcdStateStore(settings.etcd(), settings.etcdPrefix());
      resources.add(stateStore);
      this.store = stateStore.describe();
      this.authority = FleetAuthority.open(settings.dataDirectory().resolve("ca"), stateStore, settings.trustDomain());
      FleetState state = new FleetState(stateStore, authority.authority());
      String token = AdminToken.readOrCreate(settings.tokenFile());
      state.putAdminTokenHash(TokenHash.sha256(token)).join();
      ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(2, runnable -> {
        Thread thread = new Thread(runnable, "meshwork-controlplane");
        thread.setDaemon(true);
        return thread;
      });
      timer.setRemoveOnCancelPolicy(true);
      resources.add(timer::shutdownNow);
      NettyTransport transport = NettyTransport.create();
      resources.add(transport);
      ServiceRegistry registry = settings.etcd().isEmpty() ? new InMemoryServiceRegistry()
          : EtcdServiceRegistry.builder().endpoints(settings.etcd()).leaseTtl(settings.etcdLeaseTtl()).build();
      resources.add(registry);
      RegistryMirror mirror = new RegistryMirror(registry, state, timer, settings.etcd().isEmpty());
      resources.add(mirror);
      EndpointChecker checker = new EndpointChecker(state, mirror, transport, timer, settings.healthCheckInterval());
      resources.add(checker);
      FleetViews views = new FleetViews(state, mirror, authority.authority());
      this.watches = new WatchHub(views, timer);
      resources.add(watches);
      state.onChange(watches::wake);
      mirror.onChange(watches::wake);
      this.credentials = settings.tls() ? new ServerCredentials(authority.authority(), state::isRevoked) : null;
      if (credentials != null) {
        resources.add(credentials);
      }
      ApiContext context = new ApiContext(state, mirror, checker, authority, views, settings.maxCertificateTtl(),
          settings.trustDomain(), credentials == null ? null : credentials.identity().spiffeId(), store,
          Instant.now());
      boolean openReads = settings.openReads() != null ? settings.openReads() : isLoopback(settings.host());
      ServerOptions options = ServerOptions.of(ServerCredentials.SERVICE, settings.host(), settings.port(),
          ServerLimits.builder().maxRequestBytes(settings.maxBodyBytes()).maxHeaderBytes(64 * 1024)
              .maxConcurrentStreams(1000).build());
      if (credentials != null) {
        options = options.withTls(MtlsMode.PERMISSIVE, credentials);
      }
      this.server = transport.bind(options, ApiRoutes.server(context, watches, metrics, adminIdentities(settings),
          openReads));
      log.info("control plane listening on {} ({}; store: {})", uri(), settings.tls() ? "plaintext and mTLS"
          : "plaintext only", store);
    } catch (RuntimeException e) {
      closeResources();
      throw e;
    }
  }

  /** A builder with the defaults of the command line. */
  public static Builder builder() {
    return new Builder();
  }

  /** Starts a control plane with {@code settings}; {@code metrics} (nullable) serves {@code GET /metrics}. */
  public static ControlPlaneServer start(ControlPlaneSettings settings, MetricsExposition metrics) {
    return new ControlPlaneServer(settings, metrics);
  }

  /** Where it listens, such as {@code http://127.0.0.1:8080}. */
  public URI uri() {
    String host = settings.host().indexOf(':') >= 0 ? "[" + settings.host() + "]" : settings.host();
    return URI.create("http://" + host + ":" + server.port());
  }

  /** The port it listens on. */
  public int port() {
    return server.port();
  }

  /** The file that holds the admin token. */
  public java.nio.file.Path adminTokenFile() {
    return settings.tokenFile();
  }

  /** The SHA-256 fingerprint of the fleet's root certificate. */
  public String caFingerprint() {
    return authority.fingerprint();
  }

  /** Where the state lives. */
  public String store() {
    return store;
  }

  /** The SPIFFE ID it presents over mTLS, or null when it serves plaintext only. */
  public String identity() {
    return credentials == null ? null : credentials.identity().spiffeId();
  }

  /** The settings it runs with. */
  public ControlPlaneSettings settings() {
    return settings;
  }

  /** Stops: answers the waiting watches, lets requests in flight finish (2 s at most), releases everything. */
  @Override
  public void close() {
    watches.close();
    server.close(Duration.ofSeconds(2));
    closeResources();
    log.info("control plane on port {} stopped", server.port());
  }

  private void closeResources() {
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (Exception e) {
        log.warn("closing {} failed", resources.get(i), e);
      }
    }
    resources.clear();
  }

  private static java.util.Set<String> adminIdentities(ControlPlaneSettings settings) {
    if (!settings.adminIdentities().isEmpty()) {
      return settings.adminIdentities();
    }
    return java.util.Set.of("spiffe://" + settings.trustDomain() + "/ns/" + ServerCredentials.NAMESPACE + "/sa/admin");
  }

  private static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** Builds a {@link ControlPlaneServer}; every setter checks its value at once. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port = 8080;
    private java.nio.file.Path dataDirectory = java.nio.file.Path.of("meshwork-controlplane");
    private java.nio.file.Path adminTokenFile;
    private List<URI> etcd = List.of();
    private String etcdPrefix = "/meshwork/controlplane/";
    private Duration etcdLeaseTtl = Duration.ofSeconds(10);
    private String trustDomain = "cluster.local";
    private boolean tls = true;
    private java.util.Set<String> adminIdentities = java.util.Set.of();
    private Boolean openReads;
    private int maxBodyBytes = 1 << 20;
    private Duration maxCertificateTtl = Duration.ofHours(24);
    private Duration healthCheckInterval = Duration.ofSeconds(10);
    private MetricsExposition metrics;

    private Builder() {}

    /** The address to listen on; 127.0.0.1 unless set. */
    public Builder host(String value) {
      this.host = io.meshwork.registry.ServiceInstance.checkHost(value);
      return this;
    }

    /** The port; 8080 unless set, 0 for any free one. */
    public Builder port(int value) {
      if (value < 0 || value > 65535) {
        throw new IllegalArgumentException("port: " + value + " (expected: 0..65535)");
      }
      this.port = value;
      return this;
    }

    /** The data directory; {@code ./meshwork-controlplane} unless set. */
    public Builder dataDirectory(java.nio.file.Path value) {
      this.dataDirectory = java.util.Objects.requireNonNull(value, "dataDirectory");
      return this;
    }

    /** The admin token's file; {@code <data directory>/admin-token} unless set. */
    public Builder adminTokenFile(java.nio.file.Path value) {
      this.adminTokenFile = java.util.Objects.requireNonNull(value, "adminTokenFile");
      return this;
    }

    /** Keeps the state, CA and registry in the etcd at {@code endpoints} (http URLs); in memory unless set. */
    public Builder etcd(List<URI> endpoints) {
      for (URI endpoint : endpoints) {
        if (!"http".equals(endpoint.getScheme()) && !"https".equals(endpoint.getScheme()) || endpoint.getHost() == null) {
          throw new IllegalArgumentException("etcd: '" + endpoint + "' (expected: http://host:port)");
        }
      }
      this.etcd = List.copyOf(endpoints);
      return this;
    }

    /** The key prefix of the state in etcd; {@code /meshwork/controlplane/} unless set. */
    public Builder etcdPrefix(String value) {
      if (value == null || !value.startsWith("/") || !value.endsWith("/")) {
        throw new IllegalArgumentException("etcdPrefix: '" + value + "' (expected: starts and ends with '/')");
      }
      this.etcdPrefix = value;
      return this;
    }

    /** The etcd lease of the instances this controller registers; 10 s unless set. */
    public Builder etcdLeaseTtl(Duration value) {
      if (value == null || value.getSeconds() < 2 || value.toMillis() % 1000 != 0) {
        throw new IllegalArgumentException("etcdLeaseTtl: " + value + " (expected: whole seconds, >= 2 s)");
      }
      this.etcdLeaseTtl = value;
      return this;
    }

    /** The fleet's trust domain; {@code cluster.local} unless set. */
    public Builder trustDomain(String value) {
      this.trustDomain = io.meshwork.security.WorkloadIdentity.of(value, "default", "check").trustDomain();
      return this;
    }

    /** Whether the port also serves mutual TLS; true unless set. */
    public Builder tls(boolean value) {
      this.tls = value;
      return this;
    }

    /** SPIFFE IDs that act as admin over mTLS; {@code spiffe://<trust domain>/ns/meshwork-system/sa/admin} unless set. */
    public Builder adminIdentities(java.util.Set<String> values) {
      for (String value : values) {
        io.meshwork.security.WorkloadIdentity.parse(value);
      }
      this.adminIdentities = java.util.Set.copyOf(values);
      return this;
    }

    /**
     * Whether reads need no token: true opens them to every caller, false asks a token of every caller;
     * unless set, they are open when the control plane listens on a loopback address only.
     */
    public Builder openReads(boolean value) {
      this.openReads = value;
      return this;
    }

    /** The largest request body; 1 MiB unless set. */
    public Builder maxBodyBytes(int value) {
      if (value < 1024) {
        throw new IllegalArgumentException("maxBodyBytes: " + value + " (expected: >= 1024)");
      }
      this.maxBodyBytes = value;
      return this;
    }

    /** The longest lifetime of a certificate; 24 h unless set. */
    public Builder maxCertificateTtl(Duration value) {
      if (value == null || value.compareTo(Duration.ofMinutes(1)) < 0) {
        throw new IllegalArgumentException("maxCertificateTtl: " + value + " (expected: >= 1 minute)");
      }
      this.maxCertificateTtl = value;
      return this;
    }

    /** How often registered instances are checked; 10 s unless set. */
    public Builder healthCheckInterval(Duration value) {
      if (value == null || value.toMillis() < 100) {
        throw new IllegalArgumentException("healthCheckInterval: " + value + " (expected: >= 100 ms)");
      }
      this.healthCheckInterval = value;
      return this;
    }

    /** What {@code GET /metrics} serves; the control plane's own gauges unless set. */
    public Builder metrics(MetricsExposition value) {
      this.metrics = java.util.Objects.requireNonNull(value, "metrics");
      return this;
    }

    /** The settings gathered. */
    public ControlPlaneSettings settings() {
      return new ControlPlaneSettings(host, port, dataDirectory, adminTokenFile, etcd, etcdPrefix, etcdLeaseTtl,
          trustDomain, tls, adminIdentities, openReads, maxBodyBytes, maxCertificateTtl, healthCheckInterval);
    }

    /** Starts the control plane; returns once it listens. */
    public ControlPlaneServer start() {
      return ControlPlaneServer.start(settings(), metrics);
    }
  }
}
