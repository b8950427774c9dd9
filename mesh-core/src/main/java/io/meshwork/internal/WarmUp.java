package io.meshwork.internal;

import io.meshwork.NoHealthyInstanceException;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.time.Scheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets one destination ready before its first call: waits for the registry's first list, then
 * opens a connection (and its TLS handshake) to each healthy instance. Bounded by the destination's
 * timeout; a connection that fails is logged, not fatal (calls route around it).
 */
final class WarmUp {

  private static final Logger log = LoggerFactory.getLogger(WarmUp.class);

  private final Destination destination;
  private final Scheduler scheduler;

  WarmUp(Destination destination, Scheduler scheduler) {
    this.destination = destination;
    this.scheduler = scheduler;
  }

  CompletableFuture<Void> start() {
    CompletableFuture<Void> result = new CompletableFuture<>();
    long timeout = destination.policy.timeout().toNanos();
    Scheduler.Cancellable timer = scheduler.schedule(() -> result.completeExceptionally(
        new NoHealthyInstanceException(destination.service, "warm-up: the registry sent no instance"
            + " list within " + TimeUnit.NANOSECONDS.toMillis(timeout) + " ms")), timeout, TimeUnit.NANOSECONDS);
    destination.firstList().thenCompose(this::connectAll).whenComplete((done, failure) -> {
      timer.cancel();
      Futures.copy(done, failure, result);
    });
    return result;
  }

  private CompletableFuture<Void> connectAll(List<ServiceInstance> instances) {
    List<CompletableFuture<Void>> connects = new ArrayList<>();
    for (ServiceInstance instance : instances) {
      if (instance.isHealthy()) {
        connects.add(destination.client.connect(instance).exceptionally(failure -> {
          log.warn("{}: warm-up could not connect to {}: {}", destination.service, instance.address(),
              Futures.unwrap(failure).getMessage());
          return null;
        }));
      }
    }
    if (connects.isEmpty()) {
      return CompletableFuture.failedFuture(new NoHealthyInstanceException(destination.service,
          "warm-up: no healthy instance (" + instances.size() + " registered)"));
    }
    return CompletableFuture.allOf(connects.toArray(new CompletableFuture<?>[0]));
  }
}
