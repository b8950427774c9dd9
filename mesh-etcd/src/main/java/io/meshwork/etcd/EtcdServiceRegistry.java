package io.meshwork.etcd;

import io.etcd.jetcd.Client;
import io.meshwork.MeshClosedException;
import io.meshwork.MeshException;
import io.meshwork.registry.HealthStatus;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.registry.ServiceRegistry;
import io.meshwork.registry.Subscription;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
 * instances of a service in every namespace. They answer from a cache of the whole prefix fed by one
 * etcd watch, never from etcd itself, and keep answering from the last known instances while etcd
 * is unreachable. A broken watch resumes from the last revision seen, or reads the prefix again when
 * etcd no longer has it. Listeners run on the registry's watch thread, in order; a listener that
 * throws is logged and keeps its watch.
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
  private final Client client;
  private final RegistryThread events;
  private final RegistryThread writer;
  private final InstanceCache cache;
  private final PrefixWatch watch;
  private final Registrations registrations;
  private final HealthWrites healthWrites;
  private final Object closeLock = new Object();
  private volatile boolean closed;

  private EtcdServiceRegistry(EtcdSettings settings, Client client) {
    this.settings = settings;
    this.client = client;
    this.events = new RegistryThread("watch");
    this.writer = new RegistryThread("writer");
    this.cache = new InstanceCache();
    Random random = new Random();
    EtcdCalls calls = new EtcdCalls(settings.attemptTimeout());
    this.watch = new PrefixWatch(client, settings, cache, calls, events,
        new Backoff(settings.backoffInitial(), settings.backoffMax(), random));
    this.healthWrites = new HealthWrites(client.getKVClient(), settings);
    this.registrations = new Registrations(client, settings, calls, writer, random, watch::seen);
  }

  /** A builder; see {@link EtcdServiceRegistryBuilder} for every setting and its default. */
  public static EtcdServiceRegistryBuilder builder() {
    return new EtcdServiceRegistryBuilder();
  }

  /** Connects, loads the prefix and starts watching it; closes what it opened if etcd does not answer. */
  static EtcdServiceRegistry start(EtcdSettings settings) {
    Client client = EtcdClients.create(settings);
    EtcdServiceRegistry registry = new EtcdServiceRegistry(settings, client);
    try {
      registry.watch.start(settings.connectTimeout().plus(settings.requestTimeout()));
    } catch (EtcdCallException e) {
      registry.close();
      if (e.isUnreachable()) {
        throw new EtcdUnavailableException(null, "etcd unreachable at " + settings.endpointList()
            + ": cannot read " + settings.keyPrefix() + " (" + e.getMessage() + ")", e);
      }
      throw new MeshException(null, "etcd at " + settings.endpointList() + " refused to read "
          + settings.keyPrefix() + " (" + e.getMessage() + ")", e);
    }
    log.info("etcd registry on {} under {} ready at revision {}", settings.endpointList(),
        settings.keyPrefix(), registry.watch.revision());
    return registry;
  }

  /**
   * Puts the instance at its key under this registry's lease; an instance with the same service and
   * id is replaced, also one this registry put in another namespace. The future completes once etcd
   * has it and this registry's own discovery shows it, or fails with {@link EtcdUnavailableException}
   * within the request timeout.
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
   * Deletes that one instance's key, in whichever namespace it is known (from the cache, or from what
   * this registry registered). An unknown id is a no-op. When etcd does not answer, the future fails
   * with {@link EtcdUnavailableException} and the deletion of this registry's own keys is retried in
   * the background.
   */
  @Override
  public CompletableFuture<Void> deregister(String service, String instanceId) {
    ServiceInstance.checkName("service", service);
    Objects.requireNonNull(instanceId, "instanceId");
    if (closed) {
      return closedFuture(service);
    }
    return registrations.deregister(service, instanceId, cache.keysOf(service, instanceId));
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
    for (ServiceInstance instance : cache.instances(service)) {
      if (instance.id().equals(instanceId) && instance.health() != health) {
        return healthWrites.write(instance, health);
      }
    }
    return CompletableFuture.completedFuture(null);
  }

  /** The healthy instances of the service in every namespace, from the cache. */
  @Override
  public List<ServiceInstance> discover(String service) {
    return cache.healthy(Objects.requireNonNull(service, "service"));
  }

  /** Every instance of the service in every namespace, whatever its health, from the cache. */
  @Override
  public List<ServiceInstance> instances(String service) {
    return cache.instances(Objects.requireNonNull(service, "service"));
  }

  /**
   * Calls {@code listener} now, on the calling thread, with every instance of the service, then on the
   * registry's watch thread after every change, in order. Keep listeners short: they delay the
   * changes of every other service.
   */
  @Override
  public Subscription watch(String service, Consumer<List<ServiceInstance>> listener) {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(listener, "listener");
    return cache.watch(service, listener);
  }

  /** The etcd client URLs this registry uses. */
  public List<URI> endpoints() {
    return settings.endpoints();
  }

  /** The key prefix this registry keeps its instances under. */
  public String keyPrefix() {
    return settings.keyPrefix();
  }

  /** The lease this registry's instances are attached to now, or 0 when it holds none (for tests). */
  long leaseId() {
    return registrations.leaseId();
  }

  /** How many times the whole prefix was read again after a compaction or a reset (for tests). */
  int reloadCount() {
    return watch.reloads();
  }

  /**
   * Revokes the lease, so that the instances this registry registered vanish at once, stops the
   * watch and closes the connection. Bounded by about the request timeout when etcd is away;
   * its instances then vanish when the lease expires. Closing twice is harmless.
   */
  @Override
  public void close() {
    synchronized (closeLock) {
      if (closed) {
        return;
      }
      closed = true;
    }
    registrations.close();
    if (events.isCurrent()) {
      watch.close(); // a listener closing the registry: already on the watch thread
    } else {
      var stopped = events.executor().submit(watch::close);
      try {
        stopped.get(1, TimeUnit.SECONDS);
      } catch (Exception e) {
        log.debug("stopping the watch of {} did not finish: {}", settings.keyPrefix(), e.toString());
      }
    }
    client.close();
    writer.shutdown(Duration.ofSeconds(1));
    if (!events.isCurrent()) {
      events.shutdown(Duration.ofSeconds(1));
    } else {
      events.executor().shutdown();
    }
  }

  @Override
  public String toString() {
    return "EtcdServiceRegistry{" + settings.endpointList() + ", " + settings.keyPrefix() + "}";
  }

  private static CompletableFuture<Void> closedFuture(String service) {
    return CompletableFuture.failedFuture(new MeshClosedException(service, "the etcd registry is closed"));
  }
}
