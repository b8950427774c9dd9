package io.meshwork;

import io.meshwork.internal.DefaultMesh;
import io.meshwork.internal.MeshSettings;
import io.meshwork.policy.ServicePolicy;
import io.meshwork.registry.InMemoryServiceRegistry;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.registry.ServiceRegistry;
import io.meshwork.security.WorkloadIdentity;
import io.meshwork.time.Scheduler;
import io.meshwork.time.Ticker;
import io.meshwork.transport.Transport;
import java.time.Duration;
import java.util.LinkedHashMap;
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
  private ServicePolicy defaultPolicy = ServicePolicy.defaults();
  private final Map<String, ServicePolicy> policies = new LinkedHashMap<>();
  private Ticker ticker = Ticker.system();
  private Scheduler scheduler;
  private MeshListener listener;
  private RandomGenerator random;
  private Duration shutdownGrace = Duration.ofSeconds(5);

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

  /** The policy of every destination without one of its own. */
  public MeshBuilder defaultPolicy(ServicePolicy policy) {
    this.defaultPolicy = Objects.requireNonNull(policy, "policy");
    return this;
  }

  /** The policy of calls to {@code service}. */
  public MeshBuilder policy(String service, ServicePolicy policy) {
    policies.put(ServiceInstance.checkName("service", service), Objects.requireNonNull(policy, "policy"));
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

  /** Told of attempts, ejections and breaker changes. */
  public MeshBuilder listener(MeshListener listener) {
    this.listener = Objects.requireNonNull(listener, "listener");
    return this;
  }

  /** The random source of backoff jitter (thread-safe, such as a seeded {@link java.util.Random}). */
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
   * is on the class path.
   */
  public Mesh build() {
    return new DefaultMesh(new MeshSettings(service, namespace, trustDomain, host,
        registry != null ? registry : new InMemoryServiceRegistry(), transport, defaultPolicy,
        Map.copyOf(policies), ticker, scheduler, listener, random, shutdownGrace));
  }
}
