package io.meshwork.fleet;

import io.meshwork.fleet.api.Endpoint;
import io.meshwork.fleet.api.Registration;
import io.meshwork.registry.HealthStatus;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.registry.ServiceRegistry;
import io.meshwork.registry.Subscription;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fleet's registry as the control plane serves it: reads answer from the last view watched (so
 * they go on while the control plane is away); this workload's own registrations go to the control
 * plane, and are sent again whenever it comes back (a control plane that restarted without its
 * state learns them again). A registration the control plane could not be reached for succeeds
 * locally and is sent on its return; one it refuses fails.
 */
final class FleetRegistry implements ServiceRegistry {

  private static final Logger log = LoggerFactory.getLogger(FleetRegistry.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final ControlPlaneClient client;
  private final Map<String, List<ServiceInstance>> instances = new ConcurrentHashMap<>();
  private final Map<String, List<Consumer<List<ServiceInstance>>>> listeners = new ConcurrentHashMap<>();
  private final Map<String, Registration> own = new ConcurrentHashMap<>();

  FleetRegistry(ControlPlaneClient client) {
    this.client = client;
  }

  @Override
  public CompletableFuture<Void> register(ServiceInstance instance) {
    Objects.requireNonNull(instance, "instance");
    Registration registration = Registration.of(instance, "http");
    own.put(key(instance.service(), instance.id()), registration);
    return send(registration).handle((done, failure) -> {
      if (failure != null && refused(failure)) {
        own.remove(key(instance.service(), instance.id()));
        throw new io.meshwork.MeshException(instance.service(), "the control plane refused to register "
            + instance.address() + ": " + failure.getMessage(), failure);
      }
      if (failure != null) {
        log.warn("{}: the control plane is unreachable; {} will be registered when it is back: {}",
            instance.service(), instance.address(), failure.getMessage());
      }
      return null;
    });
  }

  @Override
  public CompletableFuture<Void> deregister(String service, String instanceId) {
    Registration registration = own.remove(key(service, instanceId));
    String namespace = registration != null ? registration.namespace() : "default";
    return client.exchange("DELETE", "/api/v1/services/" + encode(namespace) + "/" + encode(service) + "/"
        + encode(instanceId), null, null, TIMEOUT).handle((done, failure) -> {
          if (failure != null) {
            log.warn("{}: could not deregister {} from the control plane: {}", service, instanceId, failure.getMessage());
          }
          return null;
        });
  }

  /** Health is the control plane's to check: a mesh's own checks only change what this process sees. */
  @Override
  public CompletableFuture<Void> updateHealth(String service, String instanceId, HealthStatus health) {
    List<ServiceInstance> current = instances.getOrDefault(service, List.of());
    List<ServiceInstance> next = new ArrayList<>(current.size());
    for (ServiceInstance instance : current) {
      next.add(instance.id().equals(instanceId) ? instance.withHealth(health) : instance);
    }
    replace(service, List.copyOf(next));
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public List<ServiceInstance> discover(String service) {
    List<ServiceInstance> healthy = new ArrayList<>();
    for (ServiceInstance instance : instances(service)) {
      if (instance.isHealthy()) {
        healthy.add(instance);
      }
    }
    return List.copyOf(healthy);
  }

  @Override
  public List<ServiceInstance> instances(String service) {
    return instances.getOrDefault(Objects.requireNonNull(service, "service"), List.of());
  }

  @Override
  public Subscription watch(String service, Consumer<List<ServiceInstance>> listener) {
    Objects.requireNonNull(listener, "listener");
    List<Consumer<List<ServiceInstance>>> list = listeners.computeIfAbsent(service, s -> new CopyOnWriteArrayList<>());
    synchronized (list) {
      list.add(listener);
      notify(service, listener, instances(service));
    }
    return () -> list.remove(listener);
  }

  /** The instances of every service now, from a view; listeners of the services that changed hear it. */
  void accept(Map<String, List<Endpoint>> endpoints) {
    for (String service : List.copyOf(instances.keySet())) {
      if (!endpoints.containsKey(service)) {
        replace(service, List.of());
      }
    }
    endpoints.forEach((service, list) -> {
      List<ServiceInstance> next = new ArrayList<>(list.size());
      for (Endpoint endpoint : list) {
        next.add(endpoint.toInstance());
      }
      replace(service, List.copyOf(next));
    });
  }

  /** Sends every registration of this workload again: the control plane may have lost them. */
  void registerAgain() {
    own.values().forEach(registration -> send(registration).whenComplete((done, failure) -> {
      if (failure != null) {
        log.warn("{}: could not register {}:{} again: {}", registration.serviceName(), registration.ip(),
            registration.port(), failure.getMessage());
      }
    }));
  }

  /** Withdraws what is still registered, waiting up to {@code timeout} in all. */
  void withdrawAll(Duration timeout) {
    List<CompletableFuture<Void>> pending = new ArrayList<>();
    for (Registration registration : List.copyOf(own.values())) {
      pending.add(deregister(registration.serviceName(), registration.id()));
    }
    try {
      CompletableFuture.allOf(pending.toArray(new CompletableFuture<?>[0]))
          .get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      log.debug("withdrawing registrations did not finish: {}", e.toString());
    }
  }

  private CompletableFuture<Void> send(Registration registration) {
    return client.exchange("POST", "/api/v1/services/register", registration, null, TIMEOUT);
  }

  private void replace(String service, List<ServiceInstance> next) {
    List<Consumer<List<ServiceInstance>>> list = listeners.computeIfAbsent(service, s -> new CopyOnWriteArrayList<>());
    synchronized (list) {
      List<ServiceInstance> previous = next.isEmpty() ? instances.remove(service) : instances.put(service, next);
      if (next.equals(previous == null ? List.of() : previous)) {
        return;
      }
      for (Consumer<List<ServiceInstance>> listener : list) {
        notify(service, listener, next);
      }
    }
  }

  private static boolean refused(Throwable failure) {
    Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
        ? failure.getCause() : failure;
    return cause instanceof ControlPlaneException e && e.status() >= 400 && e.status() < 500;
  }

  private static void notify(String service, Consumer<List<ServiceInstance>> listener, List<ServiceInstance> list) {
    try {
      listener.accept(list);
    } catch (RuntimeException e) {
      log.warn("registry listener of {} failed; it stays subscribed", service, e);
    }
  }

  private static String key(String service, String id) {
    return service + "/" + id;
  }

  private static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
