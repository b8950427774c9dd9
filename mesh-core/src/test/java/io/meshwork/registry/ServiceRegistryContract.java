package io.meshwork.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link ServiceRegistry} must have. A registry test extends this class and
 * supplies the registry; remote registries propagate changes asynchronously, so assertions wait for
 * them (on events, with a bound) rather than expecting them at once.
 */
public abstract class ServiceRegistryContract {

  /** How long a change may take to be seen. */
  protected static final Duration PROPAGATION = Duration.ofSeconds(10);

  protected ServiceRegistry registry;
  protected String service;

  /** A new registry; closed after each test. */
  protected abstract ServiceRegistry newRegistry() throws Exception;

  @BeforeEach
  void createRegistry() throws Exception {
    registry = newRegistry();
    service = "svc-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @AfterEach
  void closeRegistry() {
    registry.close();
  }

  protected ServiceInstance instance(String id, int port) {
    return ServiceInstance.builder(service, id).host("127.0.0.1").port(port).build();
  }

  @Test
  void registeredInstanceIsDiscovered() throws Exception {
    ServiceInstance a = instance("a", 8001);
    registry.register(a).get(10, TimeUnit.SECONDS);
    awaitTrue(() -> registry.discover(service).equals(List.of(a)));
    assertThat(registry.instances(service)).containsExactly(a);
  }

  @Test
  void registeringTheSameIdReplacesTheInstance() throws Exception {
    registry.register(instance("a", 8001)).get(10, TimeUnit.SECONDS);
    ServiceInstance moved = instance("a", 9001);
    registry.register(moved).get(10, TimeUnit.SECONDS);
    awaitTrue(() -> registry.instances(service).equals(List.of(moved)));
  }

  @Test
  void deregisterRemovesOnlyThatInstance() throws Exception {
    ServiceInstance a = instance("a", 8001);
    ServiceInstance b = instance("b", 8002);
    ServiceInstance c = instance("c", 8003);
    for (ServiceInstance instance : List.of(a, b, c)) {
      registry.register(instance).get(10, TimeUnit.SECONDS);
    }
    awaitTrue(() -> registry.instances(service).size() == 3);
    registry.deregister(service, "b").get(10, TimeUnit.SECONDS);
    awaitTrue(() -> registry.instances(service).size() == 2);
    assertThat(registry.instances(service)).containsExactlyInAnyOrder(a, c);
    assertThat(registry.discover(service)).containsExactlyInAnyOrder(a, c);
  }

  @Test
  void discoverReturnsHealthyInstancesOnlyAndInstancesReturnsAll() throws Exception {
    ServiceInstance healthy = instance("up", 8001);
    ServiceInstance sick = instance("down", 8002).withHealth(HealthStatus.UNHEALTHY);
    ServiceInstance unknown = instance("unknown", 8003).withHealth(HealthStatus.UNKNOWN);
    for (ServiceInstance instance : List.of(healthy, sick, unknown)) {
      registry.register(instance).get(10, TimeUnit.SECONDS);
    }
    awaitTrue(() -> registry.instances(service).size() == 3);
    assertThat(registry.discover(service)).containsExactly(healthy);
    assertThat(registry.instances(service)).containsExactlyInAnyOrder(healthy, sick, unknown);
  }

  @Test
  void everyFieldSurvivesTheRoundTrip() throws Exception {
    ServiceInstance full = ServiceInstance.builder(service, "full-1").namespace("payments")
        .host("10.1.2.3").port(65535).weight(7).labels(Map.of("version", "v2", "zone", "eu-1"))
        .health(HealthStatus.UNHEALTHY).build();
    registry.register(full).get(10, TimeUnit.SECONDS);
    awaitTrue(() -> registry.instances(service).equals(List.of(full)));
  }

  @Test
  void watchDeliversTheCurrentListThenEveryChange() throws Exception {
    ServiceInstance a = instance("a", 8001);
    registry.register(a).get(10, TimeUnit.SECONDS);
    awaitTrue(() -> registry.instances(service).size() == 1);
    BlockingQueue<List<ServiceInstance>> seen = new LinkedBlockingQueue<>();
    try (Subscription ignored = registry.watch(service, seen::add)) {
      assertThat(next(seen)).containsExactly(a);
      ServiceInstance b = instance("b", 8002);
      registry.register(b).get(10, TimeUnit.SECONDS);
      assertThat(nextMatching(seen, list -> list.size() == 2)).containsExactlyInAnyOrder(a, b);
      registry.deregister(service, "a").get(10, TimeUnit.SECONDS);
      assertThat(nextMatching(seen, list -> list.size() == 1)).containsExactly(b);
    }
  }

  @Test
  void aCancelledWatchHearsNothingMore() throws Exception {
    BlockingQueue<List<ServiceInstance>> cancelled = new LinkedBlockingQueue<>();
    BlockingQueue<List<ServiceInstance>> live = new LinkedBlockingQueue<>();
    Subscription subscription = registry.watch(service, cancelled::add);
    try (Subscription ignored = registry.watch(service, live::add)) {
      assertThat(next(cancelled)).isEmpty();
      assertThat(next(live)).isEmpty();
      subscription.cancel();
      subscription.cancel();
      registry.register(instance("a", 8001)).get(10, TimeUnit.SECONDS);
      assertThat(nextMatching(live, list -> list.size() == 1)).hasSize(1);
      assertThat(cancelled).isEmpty();
    }
  }

  @Test
  void aListenerThatThrowsKeepsItsWatch() throws Exception {
    BlockingQueue<List<ServiceInstance>> seen = new LinkedBlockingQueue<>();
    try (Subscription ignored = registry.watch(service, list -> {
      seen.add(list);
      throw new IllegalStateException("listener bug");
    })) {
      assertThat(next(seen)).isEmpty();
      registry.register(instance("a", 8001)).get(10, TimeUnit.SECONDS);
      assertThat(nextMatching(seen, list -> list.size() == 1)).hasSize(1);
      registry.register(instance("b", 8002)).get(10, TimeUnit.SECONDS);
      assertThat(nextMatching(seen, list -> list.size() == 2)).hasSize(2);
    }
  }

  @Test
  void anUnknownServiceHasNoInstancesAndDeregisteringAnUnknownIdIsHarmless() throws Exception {
    assertThat(registry.discover(service)).isEmpty();
    assertThat(registry.instances(service)).isEmpty();
    registry.deregister(service, "nobody").get(10, TimeUnit.SECONDS);
    ServiceInstance a = instance("a", 8001);
    registry.register(a).get(10, TimeUnit.SECONDS);
    registry.deregister(service, "nobody").get(10, TimeUnit.SECONDS);
    awaitTrue(() -> registry.instances(service).equals(List.of(a)));
  }

  /** Waits, with a bound, until {@code condition} holds. */
  protected static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + PROPAGATION.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("condition not met within " + PROPAGATION);
      }
      LockSupport.parkNanos(1_000_000); // poll, bounded, without burning a core
    }
  }

  private static List<ServiceInstance> next(BlockingQueue<List<ServiceInstance>> queue)
      throws InterruptedException {
    List<ServiceInstance> list = queue.poll(PROPAGATION.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(list).as("a watch notification within " + PROPAGATION).isNotNull();
    return list;
  }

  private static List<ServiceInstance> nextMatching(BlockingQueue<List<ServiceInstance>> queue,
      java.util.function.Predicate<List<ServiceInstance>> wanted) throws InterruptedException {
    long end = System.nanoTime() + PROPAGATION.toNanos();
    while (true) {
      List<ServiceInstance> list = queue.poll(Math.max(1, end - System.nanoTime()), TimeUnit.NANOSECONDS);
      assertThat(list).as("a matching watch notification within " + PROPAGATION).isNotNull();
      if (wanted.test(list)) {
        return list;
      }
    }
  }
}
