package io.meshwork.etcd;

import io.meshwork.InvalidConfigurationException;
import io.meshwork.time.Ticker;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Builds an {@link EtcdServiceRegistry}. Every setter checks its value at once and names the field,
 * the value and what was expected; {@link #build()} checks the settings as a whole, connects and
 * loads what etcd holds.
 */
public final class EtcdServiceRegistryBuilder {

  private static final Duration MAX_TTL = Duration.ofDays(1);

  private final EtcdClientOptions client = new EtcdClientOptions();
  private String keyPrefix = EtcdServiceRegistry.DEFAULT_KEY_PREFIX;
  private Duration leaseTtl = Duration.ofSeconds(10);
  private Duration retryWritesFor = Duration.ZERO;
  private Clock clock = Clock.systemUTC();
  private boolean watchAllServices;
  private Duration unwatchAfterIdle = Duration.ofMinutes(5);
  private Ticker ticker = Ticker.system();
  private EtcdServiceRegistry sharedWith;

  EtcdServiceRegistryBuilder() {}

  /**
   * The client URLs of the etcd members, such as {@code http://10.0.0.1:2379}: all http or all
   * https, each with a host and a port and no path. {@code http://127.0.0.1:2379} unless set.
   */
  public EtcdServiceRegistryBuilder endpoints(String... urls) {
    client.endpoints(urls);
    return this;
  }

  /** The client URLs of the etcd members; see {@link #endpoints(String...)}. */
  public EtcdServiceRegistryBuilder endpoints(List<URI> urls) {
    client.endpoints(urls);
    return this;
  }

  /**
   * Where instances are kept: {@code <prefix><namespace>/<service>/<instance-id>}. Starts and ends
   * with '/'; {@value EtcdServiceRegistry#DEFAULT_KEY_PREFIX} unless set. Registries that should see
   * each other must use the same prefix.
   */
  public EtcdServiceRegistryBuilder keyPrefix(String prefix) {
    this.keyPrefix = InstanceKey.checkPrefix(prefix);
    return this;
  }

  /**
   * The TTL of the lease this registry's instances are attached to: an instance whose process dies
   * vanishes within it. Whole seconds, 2 s to 1 day; 10 s unless set.
   */
  public EtcdServiceRegistryBuilder leaseTtl(Duration ttl) {
    if (ttl == null || ttl.compareTo(Duration.ofSeconds(2)) < 0 || ttl.compareTo(MAX_TTL) > 0
        || ttl.toMillis() % 1000 != 0) {
      throw new IllegalArgumentException("leaseTtl: " + ttl + " (expected: whole seconds, 2 s to 1 day)");
    }
    this.leaseTtl = ttl;
    return this;
  }

  /** The bound on opening a connection to one etcd member; 3 s unless set. */
  public EtcdServiceRegistryBuilder connectTimeout(Duration timeout) {
    client.connectTimeout(timeout);
    return this;
  }

  /**
   * The bound on a register or deregister: one that gets no answer within it fails with
   * {@link EtcdUnavailableException} (unless {@link #retryWritesFor} asks for more). Each attempt
   * gets half of it, so that one stuck on a member that just died leaves time to try another. 5 s
   * unless set.
   */
  public EtcdServiceRegistryBuilder requestTimeout(Duration timeout) {
    client.requestTimeout(timeout);
    return this;
  }

  /**
   * How long {@code register} and {@code deregister} keep retrying while etcd is unreachable before
   * they fail; zero (the default) fails after one request timeout.
   */
  public EtcdServiceRegistryBuilder retryWritesFor(Duration window) {
    if (window == null || window.isNegative() || window.compareTo(Duration.ofDays(1)) > 0) {
      throw new IllegalArgumentException("retryWritesFor: " + window + " (expected: 0 to 1 day)");
    }
    this.retryWritesFor = window;
    return this;
  }

  /**
   * The delays between attempts to re-register after a lost lease, to re-open the watch and to retry
   * writes: exponential from {@code initial} to {@code max}, with jitter. 100 ms to 2 s unless set.
   */
  public EtcdServiceRegistryBuilder retryBackoff(Duration initial, Duration max) {
    client.retryBackoff(initial, max);
    return this;
  }

  /**
   * Trusts the PEM certificates in {@code caFile} to sign etcd's server certificate (https endpoints
   * only). Without it, https endpoints are checked against the JDK's trust store.
   */
  public EtcdServiceRegistryBuilder trustedCertificates(Path caFile) {
    client.trustedCertificates(caFile);
    return this;
  }

  /**
   * Presents this client certificate chain and PKCS#8 private key (both PEM) to etcd, for etcd run
   * with {@code --client-cert-auth}.
   */
  public EtcdServiceRegistryBuilder clientCertificate(Path certFile, Path keyFile) {
    client.clientCertificate(certFile, keyFile);
    return this;
  }

  /**
   * Whether this registry loads every instance under the prefix when it is built and watches the
   * whole prefix, so that {@code discover} and {@code watch} never wait for etcd and every change of
   * the fleet reaches this process. False unless set: a service is read and watched from the first
   * time it is asked for, and this process hears only of the services it uses. Set it for a process
   * that shows or needs the whole fleet (a dashboard, a control plane) in a small fleet.
   */
  public EtcdServiceRegistryBuilder watchAllServices(boolean all) {
    this.watchAllServices = all;
    return this;
  }

  /**
   * How long a service stays watched once nobody watches it (every {@code watch} subscription
   * cancelled, as a mesh does for a destination it no longer calls) and nobody asked for it with
   * {@code discover} or {@code instances}: then its etcd watch is cancelled and its instances
   * forgotten, and the next use reads it again. Zero keeps every service watched once asked for.
   * 0 to 1 day; 5 minutes unless set. Not used with {@link #watchAllServices(boolean)}.
   */
  public EtcdServiceRegistryBuilder unwatchAfterIdle(Duration idle) {
    if (idle == null || idle.isNegative() || idle.compareTo(Duration.ofDays(1)) > 0) {
      throw new IllegalArgumentException("unwatchAfterIdle: " + idle + " (expected: 0 to 1 day)");
    }
    this.unwatchAfterIdle = idle;
    return this;
  }

  /** The time source of {@link #unwatchAfterIdle}; the system's unless set (tests use a FakeTicker). */
  public EtcdServiceRegistryBuilder ticker(Ticker ticker) {
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    return this;
  }

  /**
   * Makes this registry use the connection of {@code other} (its gRPC channel and its threads)
   * instead of opening its own; each registry keeps its own lease, watches and instances. For several
   * registries in one JVM: different key prefixes, or many simulated processes. The connection's
   * settings are those of {@code other}, so this builder's endpoints, TLS files and connect timeout
   * must not be set. The connection closes with the last registry that uses it.
   */
  public EtcdServiceRegistryBuilder sharingConnectionWith(EtcdServiceRegistry other) {
    this.sharedWith = Objects.requireNonNull(other, "sharingConnectionWith");
    return this;
  }

  /** The wall clock of the {@code registeredAt} field; the system's UTC clock unless set. */
  public EtcdServiceRegistryBuilder clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /**
   * Connects to etcd and reads what it needs to start: the index of namespaces (or, with
   * {@link #watchAllServices(boolean)}, every instance under the prefix), then watches it. Fails with
   * {@link InvalidConfigurationException} when the settings contradict each other, and with
   * {@link EtcdUnavailableException} naming the cause (such as "connection refused to
   * 127.0.0.1:2379") when etcd does not answer: within the connect timeout when every member refuses
   * connections, else within the connect timeout plus the request timeout (or with
   * {@link io.meshwork.MeshException} when etcd refuses, such as a permission denied).
   */
  public EtcdServiceRegistry build() {
    EtcdSettings settings = settings();
    EtcdConnection connection = sharedWith == null ? EtcdConnection.open(settings.client())
        : sharedWith.connection().retain();
    return EtcdServiceRegistry.start(settings, connection);
  }

  /** The settings, checked as a whole. */
  EtcdSettings settings() {
    EtcdClientSettings connection;
    if (sharedWith != null) {
      if (client.connectionSet()) {
        throw new InvalidConfigurationException(null, "sharingConnectionWith: " + sharedWith
            + " set together with endpoints, TLS files or connectTimeout (expected: one or the other;"
            + " the shared connection's settings apply)");
      }
      connection = client.over(sharedWith.settings().client());
    } else {
      connection = client.settings();
    }
    return new EtcdSettings(connection, keyPrefix, leaseTtl, retryWritesFor, clock, watchAllServices,
        unwatchAfterIdle, ticker);
  }
}
