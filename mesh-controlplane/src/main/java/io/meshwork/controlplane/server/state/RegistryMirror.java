package io.meshwork.controlplane.server.state;

import io.meshwork.fleet.api.Endpoint;
import io.meshwork.fleet.api.Registration;
import io.meshwork.registry.HealthStatus;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.registry.ServiceRegistry;
import io.meshwork.registry.Subscription;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API's registrations in the fleet's {@link ServiceRegistry}. A registration is kept in the state
 * (so every controller knows it) and its instance in the registry (where meshes and health checks
 * see it); an instance the registry lost (with etcd: the lease of a controller that died) is
 * registered again from the state, with the health last seen.
 */
public final class RegistryMirror implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RegistryMirror.class);

  /** How long an instance must stay missing before it is put back: a removal by another controller arrives
   * in the registry and in the state separately, in either order. */
  private static final long GRACE_MILLIS = 2000;

  private final ServiceRegistry registry;
  private final FleetState state;
  private final ScheduledExecutorService timer;
  private final Map<String, Subscription> watches = new ConcurrentHashMap<>();
  private final Map<String, HealthStatus> lastHealth = new ConcurrentHashMap<>();
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  /**
   * Mirrors {@code state}'s registrations into {@code registry}, with delayed repairs on {@code timer}.
   * With {@code restore} (a registry that starts empty, in this process), the saved registrations are
   * registered at once as healthy, as they were last known: meshes that watch must not see their
   * destinations vanish while a restarted control plane waits for its health checks.
   */
  public RegistryMirror(ServiceRegistry registry, FleetState state, ScheduledExecutorService timer, boolean restore) {
    this.registry = registry;
    this.state = state;
    this.timer = timer;
    if (restore) {
      for (Registration registration : state.registrations().values()) {
        lastHealth.put(key(registration), HealthStatus.HEALTHY);
        registry.register(registration.toInstance(HealthStatus.HEALTHY)).join();
      }
    }
    state.onChange(this::reconcileAll);
    reconcileAll();
  }

  /** Calls {@code listener} whenever the instances of a registered service change. */
  public void onChange(Runnable listener) {
    listeners.add(listener);
  }

  /** The registry. */
  public ServiceRegistry registry() {
    return registry;
  }

  /**
   * Registers (or replaces) {@code registration} with {@code health}; an instance already registered at
   * the same address keeps its health.
   */
  public CompletableFuture<Void> register(Registration registration, HealthStatus health) {
    HealthStatus kept = health;
    for (ServiceInstance existing : registry.instances(registration.serviceName())) {
      if (existing.id().equals(registration.id()) && existing.host().equals(registration.ip())
          && existing.port() == registration.port()) {
        kept = existing.health();
      }
    }
    ServiceInstance instance = registration.toInstance(kept);
    lastHealth.put(key(registration), kept);
    return state.putRegistration(registration).thenCompose(done -> registry.register(instance));
  }

  /** Removes one instance; false when it was not registered. */
  public CompletableFuture<Boolean> deregister(String namespace, String service, String id) {
    Registration registration = state.registration(namespace, service, id);
    boolean inRegistry = registry.instances(service).stream()
        .anyMatch(instance -> instance.id().equals(id) && instance.namespace().equals(namespace));
    if (registration == null && !inRegistry) {
      return CompletableFuture.completedFuture(false);
    }
    lastHealth.remove(namespace + "/" + service + "/" + id);
    return state.deleteRegistration(namespace, service, id)
        .thenCompose(done -> registry.deregister(service, id)).thenApply(done -> true);
  }

  /** Sets the health of a registered instance, as the health checks found it. */
  public CompletableFuture<Void> updateHealth(Registration registration, HealthStatus health) {
    lastHealth.put(key(registration), health);
    return registry.updateHealth(registration.serviceName(), registration.id(), health);
  }

  /** The endpoints of every registered service: namespace, then service, then instances in id order. */
  public Map<String, Map<String, List<Endpoint>>> endpointsByNamespace() {
    Map<String, Map<String, List<Endpoint>>> result = new TreeMap<>();
    for (String service : services()) {
      for (Endpoint endpoint : endpoints(service)) {
        result.computeIfAbsent(endpoint.namespace(), ns -> new TreeMap<>())
            .computeIfAbsent(service, s -> new ArrayList<>()).add(endpoint);
      }
    }
    return result;
  }

  /** The endpoints of {@code service}, in every namespace. */
  public List<Endpoint> endpoints(String service) {
    List<Endpoint> endpoints = new ArrayList<>();
    for (ServiceInstance instance : registry.instances(service)) {
      endpoints.add(Endpoint.of(instance, state.registration(instance.namespace(), service, instance.id())));
    }
    endpoints.sort((a, b) -> a.id().compareTo(b.id()));
    return endpoints;
  }

  /** The names of the services registered through the API. */
  public List<String> services() {
    List<String> names = new ArrayList<>();
    for (Registration registration : state.registrations().values()) {
      if (!names.contains(registration.serviceName())) {
        names.add(registration.serviceName());
      }
    }
    names.sort(String::compareTo);
    return names;
  }

  private void reconcileAll() {
    if (closed) {
      return;
    }
    for (String service : services()) {
      watches.computeIfAbsent(service, s -> registry.watch(s, instances -> onInstances(s, instances)));
    }
  }

  /** The registry's list of {@code service} changed: put back what it lost, tell the listeners. */
  private void onInstances(String service, List<ServiceInstance> instances) {
    if (closed) {
      return;
    }
    if (!missing(service, instances).isEmpty()) {
      timer.schedule(() -> repair(service), GRACE_MILLIS, TimeUnit.MILLISECONDS);
    }
    for (ServiceInstance instance : instances) {
      lastHealth.put(instance.namespace() + "/" + service + "/" + instance.id(), instance.health());
    }
    listeners.forEach(Runnable::run);
  }

  private void repair(String service) {
    if (closed) {
      return;
    }
    for (Registration registration : missing(service, registry.instances(service))) {
      HealthStatus health = lastHealth.getOrDefault(key(registration), HealthStatus.UNKNOWN);
      log.info("registering {}/{} again: the registry lost it", service, registration.id());
      registry.register(registration.toInstance(health)).whenComplete((done, failure) -> {
        if (failure != null) {
          log.warn("could not register {}/{} again: {}", service, registration.id(), failure.getMessage());
        }
      });
    }
  }

  private List<Registration> missing(String service, List<ServiceInstance> instances) {
    List<Registration> missing = new ArrayList<>();
    for (Registration registration : state.registrations().values()) {
      if (registration.serviceName().equals(service)
          && instances.stream().noneMatch(instance -> instance.id().equals(registration.id()))) {
        missing.add(registration);
      }
    }
    return missing;
  }

  private static String key(Registration registration) {
    return registration.namespace() + "/" + registration.serviceName() + "/" + registration.id();
  }

  @Override
  public void close() {
    closed = true;
    watches.values().forEach(Subscription::cancel);
  }
}
