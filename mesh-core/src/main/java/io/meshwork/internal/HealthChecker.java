package io.meshwork.internal;

import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import io.meshwork.AttemptTimeoutException;
import io.meshwork.policy.HealthCheckConfig;
import io.meshwork.registry.HealthStatus;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.registry.ServiceRegistry;
import io.meshwork.time.Scheduler;
import io.meshwork.transport.TransportClient;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Active health checks of one destination: each instance is probed on its own jittered timer, and
 * crossing a threshold writes the new health to the registry, whose watch then updates the
 * balancer like any other change.
 */
final class HealthChecker implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(HealthChecker.class);

  private final String service;
  private final HealthCheckConfig config;
  private final Supplier<TransportClient> client;
  private final ServiceRegistry registry;
  private final Scheduler scheduler;
  private final RandomGenerator random;
  private final MeshRequest probe;
  private final Map<String, Probe> probes = new HashMap<>();
  private boolean closed;

  HealthChecker(String service, HealthCheckConfig config, Supplier<TransportClient> client, ServiceRegistry registry,
      Scheduler scheduler, RandomGenerator random) {
    this.service = service;
    this.config = config;
    this.client = client;
    this.registry = registry;
    this.scheduler = scheduler;
    this.random = random;
    this.probe = MeshRequest.builder().path(config.path()).header("user-agent", "meshwork-health-check").build();
  }

  /** The destination's instances changed: probe new ones, stop probing gone ones. */
  synchronized void update(List<ServiceInstance> instances) {
    if (closed) {
      return;
    }
    Map<String, Probe> previous = new HashMap<>(probes);
    probes.clear();
    for (ServiceInstance instance : instances) {
      Probe existing = previous.remove(instance.id());
      if (existing != null) {
        existing.instance = instance;
        probes.put(instance.id(), existing);
      } else {
        Probe fresh = new Probe(instance);
        probes.put(instance.id(), fresh);
        // The first check comes at a random point of the interval, so instances are spread out.
        fresh.schedule((long) (config.interval().toNanos() * random.nextDouble()));
      }
    }
    previous.values().forEach(Probe::stop);
  }

  @Override
  public synchronized void close() {
    closed = true;
    probes.values().forEach(Probe::stop);
    probes.clear();
  }

  private long nextDelay() {
    double spread = (random.nextDouble() * 2 - 1) * config.jitter();
    return (long) (config.interval().toNanos() * (1 + spread));
  }

  /** The checks of one instance. */
  private final class Probe {
    volatile ServiceInstance instance;
    private int successes;
    private int failures;
    private volatile boolean stopped;
    private volatile Scheduler.Cancellable timer;

    Probe(ServiceInstance instance) {
      this.instance = instance;
    }

    void schedule(long delayNanos) {
      if (!stopped) {
        timer = scheduler.schedule(this::check, delayNanos, TimeUnit.NANOSECONDS);
      }
    }

    void stop() {
      stopped = true;
      Scheduler.Cancellable current = timer;
      if (current != null) {
        current.cancel();
      }
    }

    private void check() {
      if (stopped) {
        return;
      }
      ServiceInstance target = instance;
      long timeout = config.timeout().toNanos();
      CompletableFuture<MeshResponse> answer;
      try {
        answer = client.get().send(target, probe, timeout);
      } catch (RuntimeException e) {
        answer = CompletableFuture.failedFuture(e);
      }
      CompletableFuture<MeshResponse> exchange = answer;
      Scheduler.Cancellable limit = scheduler.schedule(() -> exchange.completeExceptionally(
          new AttemptTimeoutException(service, "health check of " + target.address() + " timed out")),
          timeout, TimeUnit.NANOSECONDS);
      exchange.whenComplete((response, failure) -> {
        limit.cancel();
        boolean ok = response != null && response.status() >= 200 && response.status() < 300;
        outcome(target, ok);
        schedule(nextDelay());
      });
    }

    private synchronized void outcome(ServiceInstance target, boolean ok) {
      if (ok) {
        failures = 0;
        successes++;
        if (target.health() != HealthStatus.HEALTHY && successes >= config.healthyThreshold()) {
          mark(target, HealthStatus.HEALTHY);
        }
      } else {
        successes = 0;
        failures++;
        if (target.health() != HealthStatus.UNHEALTHY && failures >= config.unhealthyThreshold()) {
          mark(target, HealthStatus.UNHEALTHY);
        }
      }
    }

    private void mark(ServiceInstance target, HealthStatus health) {
      log.info("{}: health check marks {} {}", service, target.address(), health);
      registry.updateHealth(target.service(), target.id(), health).whenComplete((done, failure) -> {
        if (failure != null) {
          log.warn("{}: could not write health {} of {} to the registry", service, health, target.address(), failure);
        }
      });
    }
  }
}
