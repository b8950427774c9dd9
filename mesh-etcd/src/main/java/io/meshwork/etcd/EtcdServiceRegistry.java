package io.meshwork.etcd;

import io.meshwork.MeshClosedException;
import io.meshwork.registry.HealthStatus;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.registry.ServiceRegistry;
import io.meshwork.registry.Subscription;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ServiceRegistry} kept in etcd, for meshes that span more than one process.
 *
 * <p>Each instance is one key, {@code <prefix><namespace>/<service>/<instance-id>}, whose value is a
 * small JSON document ({@code etcdctl get --prefix /meshwork/} shows them). The keys a registry
 * registers are attached to its one lease, kept alive while it runs: the instances of a process that
 * dies vanish within the lease TTL, and {@link #close()} revokes the lease so that they vanish at
 * once. A lost lease (etcd restarted, a long pause) is noticed and every instance is put again under
 * a new one.
 *
 * <p>Service names are global: {@link #discover}, {@link #instances} and {@link #watch} return the
 * instances of a service in every namespace. A registry watches a service from the first time it is
 * asked for: one read of the service, then etcd watches of its keys (one per namespace it is in),
 * all on one gRPC stream; it hears nothing of the services it never asks for, so its memory and the
 * changes it receives follow what the process calls, not the size of the fleet. The first
 * {@code discover}, {@code instances} or {@code watch} of a service therefore waits for that one read
 * (a round trip; at most the request timeout), and later ones answer from memory, also while etcd is
 * unreachable. A service nobody watches or reads for {@link EtcdServiceRegistryBuilder#unwatchAfterIdle}
 * is unwatched. A broken watch resumes from the last revision seen, or reads its keys again when
 * etcd no longer has it. Listeners run on the registry's events lane, in order; a listener that
 * throws is logged and keeps its watch. With {@link EtcdServiceRegistryBuilder#watchAllServices} the
 * whole prefix is read at start and watched instead.
 *
 * <p>{@link #register} and {@link #deregister} fail with {@link EtcdUnavailableException} when etcd
 * does not answer within the request timeout (or keep retrying, see
 * {@link EtcdServiceRegistryBuilder#retryWritesFor}).
 *
 * <pre>{@code
 * try (EtcdServiceRegistry registry = EtcdServiceRegistry.builder()
 *         .endpoints("http://10.0.0.1:2379", "http://10.0.0.2:2379", "http://10.0.0.3:2379").build();
 *      Mesh mesh = Mesh.builder().service("order-service").registry(registry).build()) {
 *   ...
 * }
 * }</pre>
 */
public final class EtcdServiceRegistry implements ServiceRegistry {

  /** The key prefix unless another is set. */
  public static final String DEFAULT_KEY_PREFIX = "/meshwork/services/";

  private static final Logger log = LoggerFactory.getLogger(EtcdServiceRegistry.class);

  private final EtcdSettings settings;
  private final EtcdConnection connection;
  private final EtcdRpc rpc;
  private final Lane events;
  private final Lane writer;
  private final WatchStream stream;
  private final ServiceWatches services;
  private final Registrations registrations;
  private final HealthWrites healthWrites;
  private final AtomicInteger reloads = new AtomicInteger();
  private final Random random = new Random();
  private final Object closeLock = new Object();
  private volatile boolean closed;

  private EtcdServiceRegistry(EtcdSettings settings, EtcdConnection connection) {
    this.settings = settings;
    this.connection = connection;
    this.events = connection.eventsLane();
    this.writer = connection.writerLane();
    this.rpc = new EtcdRpc(connection.channel(), settings.client().attemptTimeout());
    this.stream = new WatchStream(connection.channel(), events, backoff(), settings.endpointList(),
        "serving the last known instances");
    this.services = new ServiceWatches(settings, rpc, stream, events, this::backoff, reloads);
    this.healthWrites = new HealthWrites(rpc, settings);
    KeepAlive keepAlive = new KeepAlive(connection.channel(), rpc, events, settings.leaseTtl().toSeconds(),
        settings.endpointList());
    this.registrations = new Registrations(rpc, keepAlive, settings, writer, random, services::seen);
  }

  /** A builder; see {@link EtcdServiceRegistryBuilder} for every setting and its default. */
  public static EtcdServiceRegistryBuilder builder() {
    return new EtcdServiceRegistryBuilder();
  }

  /** Reads what a registry starts from and starts watching; closes what it opened if etcd does not answer. */
  static EtcdServiceRegistry start(EtcdSettings settings, EtcdConnection connection) {
    EtcdServiceRegistry registry = new EtcdServiceRegistry(settings, connection);
    long revision;
    try {
      revision = registry.services.start();
    } catch (EtcdCallException e) {
      registry.close();
      throw e.atStart(settings.endpointList());
    }
    log.info("etcd registry on {} under {} ready at revision {}, watching {}", settings.endpointList(),
        settings.keyPrefix(), revision, settings.watchAllServices() ? "every service"
            : "each service from its first use");
    return registry;
  }

  /**
   * Puts the instance at its key under this registry's lease (one write: a put, or in a namespace
   * other than {@code default} a transaction that also marks the namespace for the service); an
   * instance with the same service and id is replaced, also one this registry put in another
   * namespace. The future completes once etcd has it and, when this registry watches the service,
   * its own discovery shows it; or fails with {@link EtcdUnavailableException} within the request
   * timeout.
   */
  @Override
  public CompletableFuture<Void> register(ServiceInstance instance) {
    Objects.requireNonNull(instance, "instance");
    if (closed) {
      return closedFuture(instance.service());
    }
    return registrations.register(InstanceKey.of(instance),
        InstanceJson.encode(instance, settings.clock().instant()));
  }

  /**
   * Deletes that one instance's key in every namespace the service is known in (default, the
   * namespace index, the instances watched, and what this registry registered), in one transaction.
   * An unknown id is a no-op. When etcd does not answer, the future fails with
   * {@link EtcdUnavailableException} (at once when no member accepts a connection) and the deletion of
   * this registry's own keys is carried out in the background.
   */
  @Override
  public CompletableFuture<Void> deregister(String service, String instanceId) {
    ServiceInstance.checkName("service", service);
    Objects.requireNonNull(instanceId, "instanceId");
    if (closed) {
      return closedFuture(service);
    }
    return registrations.deregister(service, instanceId, services.keysOf(service, instanceId));
  }

  /**
   * Writes the health an active health check found into the instance's key, keeping the lease of
   * the process that registered it. Unknown ids, and an unchanged health, are a no-op.
   */
  @Override
  public CompletableFuture<Void> updateHealth(String service, String instanceId, HealthStatus health) {
    ServiceInstance.checkName("service", service);
    Objects.requireNonNull(instanceId, "instanceId");
    Objects.requireNonNull(health, "health");
    if (closed) {
      return closedFuture(service);
    }
    List<ServiceInstance> known = services.known(service);
    if (known == null) {
      // Not watched: look the instance up in the background rather than hold the health checker.
      return CompletableFuture.supplyAsync(() -> instances(service), writer)
          .thenCompose(all -> writeHealth(all, instanceId, health));
    }
    return writeHealth(known, instanceId, health);
  }

  private CompletableFuture<Void> writeHealth(List<ServiceInstance> all, String instanceId, HealthStatus health) {
    for (ServiceInstance instance : all) {
      if (instance.id().equals(instanceId) && instance.health() != health) {
        return healthWrites.write(instance, health);
      }
    }
    return CompletableFuture.completedFuture(null);
  }

  /**
   * The healthy instances of the service in every namespace, from memory once the service is watched.
   * The first call for a service not watched yet reads it from etcd (and watches it from then on):
   * it fails with {@link EtcdUnavailableException} when etcd does not answer within the request
   * timeout, rather than answer an empty list it does not know to be true.
   */
  @Override
  public List<ServiceInstance> discover(String service) {
    checkOpen(service);
    return services.read(ServiceInstance.checkName("service", service), true);
  }

  /** Every instance of the service in every namespace, whatever its health; see {@link #discover}. */
  @Override
  public List<ServiceInstance> instances(String service) {
    checkOpen(service);
    return services.read(ServiceInstance.checkName("service", service), false);
  }

  /**
   * Calls {@code listener} with every instance of the service, then after every change, in order, on
   * the registry's events lane. For a service already watched the first call is made now, on the
   * calling thread; for one not watched yet this waits for its first read of etcd (at most the request
   * timeout) and calls the listener once the read is in, never with an empty list in its place. Keep
   * listeners short: they delay the changes of every other service.
   */
  @Override
  public Subscription watch(String service, Consumer<List<ServiceInstance>> listener) {
    Objects.requireNonNull(listener, "listener");
    checkOpen(service);
    return services.watch(ServiceInstance.checkName("service", service), listener);
  }

  /** The services this registry watches now (every one seen, with {@code watchAllServices}). */
  public Set<String> watchedServices() {
    return services.watched();
  }

  /**
   * How many key changes etcd has sent this registry since it started, over all its watches: with
   * per-service watching it grows with the changes of the services this process uses, not with the
   * fleet (for monitoring, and the scale benchmark).
   */
  public long receivedChanges() {
    return stream.received();
  }

  /** The etcd client URLs this registry uses. */
  public List<URI> endpoints() {
    return settings.client().endpoints();
  }

  /** The key prefix this registry keeps its instances under. */
  public String keyPrefix() {
    return settings.keyPrefix();
  }

  /** The lease this registry's instances are attached to now, or 0 when it holds none (for tests). */
  long leaseId() {
    return registrations.leaseId();
  }

  /** How many times a watched key range was read again after a compaction or a reset (for tests). */
  int reloadCount() {
    return reloads.get();
  }

  /** How many key ranges this registry watches now (for tests). */
  int watchCount() {
    return stream.size();
  }

  /** Its settings, for a registry sharing its connection. */
  EtcdSettings settings() {
    return settings;
  }

  /** Its connection, for a registry sharing it. */
  EtcdConnection connection() {
    if (closed) {
      throw new MeshClosedException(null, "sharingConnectionWith: " + this + " is closed (expected: an"
          + " open registry)");
    }
    return connection;
  }

  /**
   * Revokes the lease, so that the instances this registry registered vanish at once, stops the
   * watches and releases the connection. With etcd unreachable it does not wait: it says so in one
   * line, and revokes the lease in the background as soon as etcd answers again (for up to
   * 5 minutes while the JVM runs), since etcd gives every lease a new TTL when it restarts. Closing
   * twice is harmless.
   */
  @Override
  public void close() {
    synchronized (closeLock) {
      if (closed) {
        return;
      }
      closed = true;
    }
    for (long unrevoked : registrations.close()) {
      LateRevoke.start(connection.retain(), rpc, unrevoked, backoff(), settings.endpointList());
    }
    if (!events.runAndWait(services::close, Duration.ofSeconds(1))) {
      log.debug("stopping the watches of {} did not finish within 1 s", settings.keyPrefix());
    }
    writer.shutdown(Duration.ofSeconds(1));
    events.shutdown(Duration.ofSeconds(1));
    connection.release();
  }

  @Override
  public String toString() {
    return "EtcdServiceRegistry{" + settings.endpointList() + ", " + settings.keyPrefix() + "}";
  }

  private void checkOpen(String service) {
    if (closed) {
      throw new MeshClosedException(service, "the etcd registry is closed");
    }
  }

  private Backoff backoff() {
    return settings.client().backoff(random);
  }

  private static CompletableFuture<Void> closedFuture(String service) {
    return CompletableFuture.failedFuture(new MeshClosedException(service, "the etcd registry is closed"));
  }
}
