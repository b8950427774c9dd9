package io.meshwork.controlplane.server.state;

import io.meshwork.MeshRequest;
import io.meshwork.fleet.api.Registration;
import io.meshwork.policy.Protocol;
import io.meshwork.registry.HealthStatus;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.transport.ClientOptions;
import io.meshwork.transport.Transport;
import io.meshwork.transport.TransportClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane's health checks of the instances registered through it: every interval, a
 * plaintext {@code GET health_check_path} answered 2xx, or (with no path) a TCP connection accepted,
 * within two seconds. The first result sets an unknown instance's health; after that, one success
 * makes it healthy and three failures in a row unhealthy. Checks go only to the registered addresses; nothing
 * blocks a thread while one is in flight.
 */
public final class EndpointChecker implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EndpointChecker.class);
  private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(2);
  // A busy control plane can miss a deadline: one slow check must not take an instance out of the fleet.
  private static final int UNHEALTHY_AFTER = 3;

  private final FleetState state;
  private final RegistryMirror registry;
  private final ScheduledExecutorService timer;
  private final TransportClient http;
  private final Map<String, Integer> failures = new ConcurrentHashMap<>();
  private final java.util.Set<String> inFlight = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  /** Checks every {@code interval} on {@code timer}; HTTP checks go through {@code transport}. */
  public EndpointChecker(FleetState state, RegistryMirror registry, Transport transport,
      ScheduledExecutorService timer, Duration interval) {
    this.state = state;
    this.registry = registry;
    this.timer = timer;
    this.http = transport.client(new ClientOptions("health-check", Protocol.HTTP_1_1, CHECK_TIMEOUT, 64 * 1024));
    timer.scheduleWithFixedDelay(this::checkAll, 200, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Checks every registered instance now (as the timer does). */
  public void checkAll() {
    if (closed) {
      return;
    }
    for (Registration registration : state.registrations().values()) {
      check(registration);
    }
  }

  /** Checks one instance now, and records its health; nothing when a check of it is still in flight. */
  public void check(Registration registration) {
    String key = key(registration);
    if (!closed && inFlight.add(key)) {
      probe(registration).whenComplete((healthy, failure) -> {
        inFlight.remove(key);
        record(registration, failure == null && healthy);
      });
    }
  }

  private static String key(Registration registration) {
    return registration.namespace() + "/" + registration.serviceName() + "/" + registration.id();
  }

  private CompletableFuture<Boolean> probe(Registration registration) {
    if (registration.healthCheckPath() != null) {
      ServiceInstance instance = registration.toInstance(HealthStatus.UNKNOWN);
      CompletableFuture<io.meshwork.MeshResponse> answer = http.send(instance,
          MeshRequest.get(registration.healthCheckPath()), CHECK_TIMEOUT.toNanos());
      answer.orTimeout(CHECK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return answer.thenApply(response -> response.status() >= 200 && response.status() <= 299);
    }
    return connect(registration.ip(), registration.port());
  }

  private CompletableFuture<Boolean> connect(String host, int port) {
    CompletableFuture<Boolean> result = new CompletableFuture<>();
    AsynchronousSocketChannel channel;
    try {
      channel = AsynchronousSocketChannel.open();
    } catch (IOException e) {
      result.completeExceptionally(e);
      return result;
    }
    channel.connect(new InetSocketAddress(host, port), null, new CompletionHandler<Void, Void>() {
      @Override
      public void completed(Void done, Void attachment) {
        result.complete(true);
      }

      @Override
      public void failed(Throwable failure, Void attachment) {
        result.completeExceptionally(failure);
      }
    });
    timer.schedule(() -> result.completeExceptionally(new IOException("connect timed out")),
        CHECK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    result.whenComplete((done, failure) -> {
      try {
        channel.close();
      } catch (IOException e) {
        log.debug("closing a health check connection failed", e);
      }
    });
    return result;
  }

  private void record(Registration registration, boolean healthy) {
    if (closed) {
      return;
    }
    String key = key(registration);
    HealthStatus current = registry.registry().instances(registration.serviceName()).stream()
        .filter(instance -> instance.id().equals(registration.id())).map(ServiceInstance::health)
        .findFirst().orElse(null);
    if (current == null) {
      return; // deregistered meanwhile
    }
    HealthStatus next;
    if (healthy) {
      failures.remove(key);
      next = HealthStatus.HEALTHY;
    } else {
      int failed = failures.merge(key, 1, Integer::sum);
      next = current == HealthStatus.UNKNOWN || failed >= UNHEALTHY_AFTER ? HealthStatus.UNHEALTHY : current;
    }
    if (next != current) {
      log.info("{}/{} at {}:{} is now {}", registration.serviceName(), registration.id(), registration.ip(),
          registration.port(), next);
      registry.updateHealth(registration, next);
    }
  }

  @Override
  public void close() {
    closed = true;
    http.close();
  }
}
