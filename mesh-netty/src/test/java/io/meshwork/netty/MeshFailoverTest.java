package io.meshwork.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.Mesh;
import io.meshwork.MeshException;
import io.meshwork.MeshHandler;
import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import io.meshwork.MeshServer;
import io.meshwork.health.DestinationHealth;
import io.meshwork.health.InstanceHealth;
import io.meshwork.loadbalancer.LoadBalancer;
import io.meshwork.netty.testing.Ports;
import io.meshwork.policy.Protocol;
import io.meshwork.policy.ServicePolicy;
import io.meshwork.registry.InMemoryServiceRegistry;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.resilience.RetryPolicy;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The core's in-memory failure scenarios, again over real sockets: three instances of "users"
 * served through {@code mesh.serve}, one of them misbehaving, called through the public API.
 */
class MeshFailoverTest {

  private final InMemoryServiceRegistry registry = new InMemoryServiceRegistry();
  private NettyTransport serverTransport;
  private NettyTransport clientTransport;
  private Mesh users;
  private Mesh orders;

  @BeforeEach
  void start() {
    serverTransport = NettyTransport.builder().eventLoopThreads(1).shutdownGrace(Duration.ofSeconds(1)).build();
    clientTransport = NettyTransport.builder().eventLoopThreads(2).shutdownGrace(Duration.ofSeconds(1)).build();
    users = Mesh.builder().service("users").registry(registry).transport(serverTransport)
        .shutdownGrace(Duration.ofSeconds(1)).build();
  }

  @AfterEach
  void stop() {
    if (orders != null) {
      orders.close();
    }
    users.close();
    clientTransport.close();
    serverTransport.close();
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void everyCallSucceedsWhenOneInstanceRefusesConnections(Protocol protocol) throws Exception {
    serveHealthy(2);
    int deadPort = Ports.free();
    registry.register(ServiceInstance.builder("users", "dead").host("127.0.0.1").port(deadPort).build()).join();
    orders = client(policy(protocol).build());

    for (int i = 0; i < 30; i++) {
      assertThat(call("/users/" + i).bodyAsString()).isEqualTo("user /users/" + i);
    }
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void instanceAnswering503IsRetriedAndEjected(Protocol protocol) throws Exception {
    serveHealthy(2);
    MeshServer failing = users.serve(0, request -> CompletableFuture.completedFuture(MeshResponse.of(503)));
    orders = client(policy(protocol).build());

    for (int i = 0; i < 30; i++) {
      assertThat(call("/users/" + i).status()).isEqualTo(200);
    }
    assertThat(health(failing.instance()).ejected()).as("%s", orders.healthReport()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void hangingInstanceTimesOutPerTryAndTheCallSucceedsElsewhere(Protocol protocol) throws Exception {
    serveHealthy(2);
    MeshServer hanging = users.serve(0, request -> new CompletableFuture<>());
    orders = client(policy(protocol)
        .retry(RetryPolicy.builder().maxAttempts(3).perTryTimeout(Duration.ofMillis(200)).build()).build());

    int slow = 0;
    for (int i = 0; i < 12; i++) {
      long start = System.nanoTime();
      assertThat(call("/users/" + i).status()).isEqualTo(200);
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertThat(millis).isLessThan(2000);
      slow += millis >= 200 ? 1 : 0;
    }
    assertThat(slow).as("calls that met the hanging instance first").isPositive();
    assertThat(health(hanging.instance()).consecutiveFailures() + health(hanging.instance()).ejections())
        .isPositive();
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void allInstancesDownFailsWithAClearExceptionInBoundedTime(Protocol protocol) throws Exception {
    for (int i = 0; i < 3; i++) {
      registry.register(ServiceInstance.builder("users", "dead-" + i).host("127.0.0.1").port(Ports.free())
          .build()).join();
    }
    orders = client(policy(protocol).timeout(Duration.ofSeconds(3)).build());

    long start = System.nanoTime();
    try {
      MeshResponse unexpected = orders.call("users", MeshRequest.get("/users/1")).get(10, TimeUnit.SECONDS);
      throw new AssertionError("expected a failure, got " + unexpected);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(MeshException.class).hasMessageContaining("users: ")
          .hasMessageContaining("could not connect to 127.0.0.1:");
    }
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
  }

  private void serveHealthy(int count) {
    MeshHandler healthy = request -> CompletableFuture.completedFuture(MeshResponse.ok("user " + request.path()));
    for (int i = 0; i < count; i++) {
      users.serve(0, healthy);
    }
  }

  private static ServicePolicy.Builder policy(Protocol protocol) {
    // Round robin makes every instance, the bad one included, take its turn.
    return ServicePolicy.builder().protocol(protocol).loadBalancer(LoadBalancer::roundRobin)
        .timeout(Duration.ofSeconds(5));
  }

  private Mesh client(ServicePolicy policy) {
    return Mesh.builder().service("orders").registry(registry).transport(clientTransport)
        .policy("users", policy).build();
  }

  private MeshResponse call(String path) throws Exception {
    return orders.call("users", MeshRequest.get(path)).get(10, TimeUnit.SECONDS);
  }

  private InstanceHealth health(ServiceInstance instance) {
    DestinationHealth destination = orders.healthReport().destination("users");
    return destination.instances().stream().filter(i -> i.instance().id().equals(instance.id())).findFirst()
        .orElseThrow();
  }
}
