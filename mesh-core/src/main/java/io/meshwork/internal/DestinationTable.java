package io.meshwork.internal;

import io.meshwork.MeshListener;
import io.meshwork.config.MeshConfig;
import io.meshwork.health.DestinationHealth;
import io.meshwork.internal.telemetry.DestinationGauges;
import io.meshwork.loadbalancer.BalancerEnvironment;
import io.meshwork.policy.ServicePolicy;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.registry.ServiceRegistry;
import io.meshwork.transport.ClientOptions;
import io.meshwork.transport.TlsCredentials;
import io.meshwork.transport.Transport;
import io.meshwork.transport.TransportClient;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The services a mesh calls: each one's {@link Destination} and call chain, made and watched on
 * first use, and rebuilt when a new config changes its policy. The table's monitor guards the set
 * of destinations together with the config they are made from: {@link LiveConfig} swaps the config
 * and reconfigures the destinations while holding it, so a destination opened meanwhile never gets
 * the old policy after the swap.
 */
final class DestinationTable implements Targets, AutoCloseable {

  private final ChainEnvironment environment;
  private final Transport transport;
  private final TlsCredentials credentials;
  private final ServiceRegistry registry;
  /** The listener of destinations: the application's, and the telemetry's counting of their events. */
  private final MeshListener listener;
  private final Supplier<MeshConfig> config;
  private final Map<String, Destination> destinations = new ConcurrentHashMap<>();
  private final Map<String, MeshClient> chains = new ConcurrentHashMap<>();
  private final Map<String, ChainState> chainStates = new ConcurrentHashMap<>();
  /** Clients replaced by a reconfiguration, closed once the attempts already on them have ended. */
  private final List<TransportClient> retired = new CopyOnWriteArrayList<>();

  DestinationTable(ChainEnvironment environment, Transport transport, TlsCredentials credentials,
      ServiceRegistry registry, MeshListener listener, Supplier<MeshConfig> config) {
    this.environment = environment;
    this.transport = transport;
    this.credentials = credentials;
    this.registry = registry;
    this.listener = listener;
    this.config = config;
  }

  /** The chain of calls to {@code service}, opening its destination on first use. */
  MeshClient chain(String service) {
    MeshClient chain = chains.get(service);
    return chain != null ? chain : open(service).chain;
  }

  /** The destination of {@code service}, opening it on first use. */
  Destination destination(String service) {
    return open(service).destination;
  }

  /** A live, unmodifiable view of the destinations opened so far, for gauges. */
  Collection<Destination> destinations() {
    return Collections.unmodifiableCollection(destinations.values());
  }

  /** The health of every destination opened so far, as of {@code now}. */
  List<DestinationHealth> health(long now) {
    List<DestinationHealth> health = new ArrayList<>();
    for (Destination destination : destinations.values()) {
      health.add(destination.health(now));
    }
    return health;
  }

  /** The target of a route's destination: {@code service}'s subset, or all of it. */
  @Override
  public Target target(String service, String subset) {
    Destination destination = open(ServiceInstance.checkName("service", service)).destination;
    return subset == null ? destination.all() : destination.subset(subset);
  }

  /**
   * Gives every destination whose policy in {@code next} differs a new chain, swapped in atomically
   * (calls in flight finish on the old one) with the state that still applies carried over; with
   * {@code rebuildAll}, every destination gets one. The caller holds this table's monitor.
   */
  void reconfigure(MeshConfig next, boolean rebuildAll) {
    for (Destination destination : destinations.values()) {
      ServicePolicy policy = next.policyFor(destination.service);
      if (!policy.equals(destination.policy) || rebuildAll) {
        reconfigure(destination, policy);
      }
    }
  }

  /** Closes every destination and every retired client. */
  @Override
  public void close() {
    for (Destination destination : destinations.values()) {
      destination.close();
    }
    retired.forEach(TransportClient::close);
  }

  private Opened open(String service) {
    synchronized (this) {
      Destination existing = destinations.get(service);
      if (existing != null) {
        return new Opened(existing, chains.get(service));
      }
      ServicePolicy policy = config.get().policyFor(service);
      Destination destination = new Destination(service, policy, newClient(service, policy),
          environment.ticker(), listener, new BalancerEnvironment(environment.ticker(), environment.random()));
      ChainState state = ChainState.of(service, policy, null, environment.ticker());
      MeshClient chain = CallChain.build(destination, environment, this, state);
      destination.checkHealth(healthChecker(destination, policy));
      DestinationGauges gauges = environment.telemetry().instruments() == null ? null
          : new DestinationGauges(environment.telemetry().instruments(), service, destination::count,
              () -> destination.client.stats());
      destination.subscribe(registry.watch(service, gauges == null ? destination::onInstances
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
        () -> destination.client, registry, environment.scheduler(), environment.random()) : null;
  }

  private void reconfigure(Destination destination, ServicePolicy policy) {
    String service = destination.service;
    ServicePolicy old = destination.policy;
    boolean newClient = old.protocol() != policy.protocol() || !old.connectTimeout().equals(policy.connectTimeout())
        || old.maxResponseBytes() != policy.maxResponseBytes();
    TransportClient replaced = destination.reconfigure(policy, newClient ? newClient(service, policy) : null,
        healthChecker(destination, policy));
    ChainState state = ChainState.of(service, policy, chainStates.get(service), environment.ticker());
    chainStates.put(service, state);
    chains.put(service, CallChain.build(destination, environment, this, state));
    if (replaced != null) {
      // Attempts already on it finish; none can start on it after the old policy's deadline.
      retired.add(replaced);
      environment.scheduler().schedule(() -> {
        retired.remove(replaced);
        replaced.close();
      }, old.timeout().toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  private record Opened(Destination destination, MeshClient chain) {}
}
