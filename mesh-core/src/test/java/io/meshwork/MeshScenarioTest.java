package io.meshwork;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.health.DestinationHealth;
import io.meshwork.health.InstanceHealth;
import io.meshwork.loadbalancer.LoadBalancer;
import io.meshwork.policy.Protocol;
import io.meshwork.policy.ServicePolicy;
import io.meshwork.registry.InMemoryServiceRegistry;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.resilience.OutlierDetectionConfig;
import io.meshwork.resilience.RetryPolicy;
import io.meshwork.time.FakeTicker;
import io.meshwork.transport.ClientOptions;
import io.meshwork.transport.InMemoryTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The mesh end to end in one JVM: in-memory registry and transport, fake time. */
class MeshScenarioTest {

  private final FakeTicker ticker = new FakeTicker();
  private final InMemoryServiceRegistry registry = new InMemoryServiceRegistry();
  private final InMemoryTransport network = new InMemoryTransport(ticker);
  private final List<Mesh> meshes = new ArrayList<>();

  @AfterEach
  void close() {
    meshes.forEach(Mesh::close);
    network.close();
  }

  private Mesh mesh(String service, ServicePolicy policy) {
    Mesh mesh = Mesh.builder().service(service).registry(registry).transport(network).ticker(ticker)
        .defaultPolicy(policy).shutdownGrace(Duration.ZERO).build();
    meshes.add(mesh);
    return mesh;
  }

  /** {@code count} instances of user-service, each answering with its name. */
  private List<ServiceInstance> users(int count) {
    Mesh users = mesh("user-service", ServicePolicy.defaults());
    List<ServiceInstance> instances = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String name = "user-" + i;
      instances.add(users.serve(0, request -> CompletableFuture.completedFuture(MeshResponse.ok(name))).instance());
    }
    return instances;
  }

  private static ServicePolicy.Builder roundRobin() {
    return ServicePolicy.builder().loadBalancer(LoadBalancer::roundRobin);
  }

  private MeshResponse call(Mesh mesh, MeshRequest request) {
    return FakeTime.runUntilDone(ticker, mesh.call("user-service", request), Duration.ofSeconds(30)).join();
  }

  @Test
  void aRegisteredInstanceIsDiscoveredAndServesCalls() {
    ServiceInstance user = users(1).get(0);
    assertThat(registry.discover("user-service")).containsExactly(user);
    Mesh orders = mesh("order-service", ServicePolicy.defaults());
    assertThat(call(orders, MeshRequest.get("/users/1")).bodyAsString()).isEqualTo("user-0");
  }

  @Test
  void aCallWhoseFirstAttemptFailsReturnsTheSecondAttemptsSuccess() {
    List<ServiceInstance> users = users(2);
    network.reset(users.get(0));
    Mesh orders = mesh("order-service", roundRobin().build());
    List<AttemptEvent> attempts = new ArrayList<>();
    Mesh watched = Mesh.builder().service("order-service").registry(registry).transport(network).ticker(ticker)
        .defaultPolicy(roundRobin().build()).listener(new MeshListener() {
          @Override
          public void onAttempt(AttemptEvent event) {
            attempts.add(event);
          }
        }).build();
    meshes.add(watched);
    MeshResponse response = call(watched, MeshRequest.get("/"));
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.bodyAsString()).isEqualTo("user-1");
    assertThat(attempts).extracting(AttemptEvent::attempt).containsExactly(1, 2);
    assertThat(attempts.get(0).instance()).isEqualTo(users.get(0));
    assertThat(attempts.get(1).instance()).isEqualTo(users.get(1));
    assertThat(call(orders, MeshRequest.get("/")).status()).isEqualTo(200);
  }

  @Test
  void oneFailingInstanceOfThreeIsRetriedAroundAndEjected() {
    List<ServiceInstance> users = users(3);
    network.fail(users.get(1), 503);
    Mesh orders = mesh("order-service", roundRobin().build());
    for (int i = 0; i < 30; i++) {
      MeshResponse response = call(orders, MeshRequest.get("/users/" + i));
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.bodyAsString()).isNotEqualTo("user-1");
    }
    InstanceHealth failing = instanceHealth(orders, users.get(1));
    assertThat(failing.ejected()).isTrue();
    assertThat(failing.ejectedFor()).isLessThanOrEqualTo(Duration.ofSeconds(30));
    int reached = network.requestsTo(users.get(1));
    for (int i = 0; i < 10; i++) {
      call(orders, MeshRequest.get("/"));
    }
    assertThat(network.requestsTo(users.get(1))).as("an ejected instance gets no traffic").isEqualTo(reached);
  }

  @Test
  void anEjectedInstanceComesBackAfterItsEjectionTime() {
    List<ServiceInstance> users = users(3);
    network.fail(users.get(0), 500);
    Mesh orders = mesh("order-service", roundRobin()
        .outlierDetection(OutlierDetectionConfig.builder().consecutiveFailures(2).build()).build());
    for (int i = 0; i < 12; i++) {
      call(orders, MeshRequest.get("/"));
    }
    assertThat(instanceHealth(orders, users.get(0)).ejected()).isTrue();
    network.heal(users.get(0));
    ticker.advance(Duration.ofSeconds(31));
    List<String> served = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      served.add(call(orders, MeshRequest.get("/")).bodyAsString());
    }
    assertThat(served).contains("user-0");
  }

  @Test
  void allInstancesFailingEndsWithAClearExceptionAfterBoundedAttempts() {
    List<ServiceInstance> users = users(3);
    users.forEach(network::reset);
    Mesh orders = mesh("order-service", roundRobin().build());
    CompletableFuture<MeshResponse> call = FakeTime.runUntilDone(ticker,
        orders.call("user-service", MeshRequest.get("/")), Duration.ofSeconds(30));
    assertThatThrownBy(call::join).isInstanceOf(CompletionException.class)
        .cause().isInstanceOf(RetriesExhaustedException.class)
        .hasMessageContaining("user-service: 3 attempts failed (max attempts reached)")
        .hasMessageContaining("connection reset");
    int total = users.stream().mapToInt(network::requestsTo).sum();
    assertThat(total).isEqualTo(3);
    assertThat(users).allSatisfy(user -> assertThat(network.requestsTo(user)).isEqualTo(1));
  }

  @Test
  void aServerErrorThatRetriesCannotCureIsReturnedAsTheResponse() {
    List<ServiceInstance> users = users(2);
    users.forEach(user -> network.fail(user, 503));
    Mesh orders = mesh("order-service", roundRobin().build());
    assertThat(call(orders, MeshRequest.get("/")).status()).isEqualTo(503);
  }

  @Test
  void noInstancesFailsWithAnExceptionNamingTheService() {
    Mesh orders = mesh("order-service", ServicePolicy.defaults());
    assertThatThrownBy(() -> call(orders, MeshRequest.get("/")))
        .cause().isInstanceOf(NoHealthyInstanceException.class)
        .hasMessage("user-service: no instance registered");
  }

  @Test
  void aHungInstanceEndsWithTheDeadline() {
    List<ServiceInstance> users = users(1);
    network.hang(users.get(0));
    Mesh orders = mesh("order-service", roundRobin().timeout(Duration.ofSeconds(2)).build());
    CompletableFuture<MeshResponse> call = orders.call("user-service", MeshRequest.get("/"));
    ticker.advance(Duration.ofMillis(1999));
    assertThat(call).isNotDone();
    ticker.advance(Duration.ofMillis(1));
    assertThatThrownBy(call::join).cause().isInstanceOf(DeadlineExceededException.class)
        .hasMessage("user-service: deadline of 2000 ms exceeded after 1 attempt");
  }

  @Test
  void aHungInstanceIsLeftAfterThePerTryTimeout() {
    List<ServiceInstance> users = users(2);
    network.hang(users.get(0));
    Mesh orders = mesh("order-service", roundRobin()
        .retry(RetryPolicy.builder().perTryTimeout(Duration.ofMillis(200)).build()).build());
    CompletableFuture<MeshResponse> call = orders.call("user-service", MeshRequest.get("/"));
    FakeTime.runUntilDone(ticker, call, Duration.ofSeconds(5));
    assertThat(call.join().bodyAsString()).isEqualTo("user-1");
  }

  @Test
  void aPostIsNotRetriedAfterItMayHaveBeenProcessedButIsAfterAConnectFailure() {
    List<ServiceInstance> users = users(2);
    network.fail(users.get(0), 503);
    Mesh orders = mesh("order-service", roundRobin().build());
    assertThat(call(orders, MeshRequest.post("/orders", "{}")).status()).isEqualTo(503);
    network.refuse(users.get(0));
    assertThat(call(orders, MeshRequest.post("/orders", "{}")).status()).isIn(200);
    network.heal(users.get(0));
    network.reset(users.get(1));
    assertThat(call(orders, MeshRequest.post("/orders", "{}")).bodyAsString()).isEqualTo("user-0");
    assertThatThrownBy(() -> call(orders, MeshRequest.post("/orders", "{}")))
        .cause().isInstanceOf(TransportException.class);
  }

  @Test
  void theCallPathRecordsEveryOutcomeToTheBalancer() {
    List<ServiceInstance> users = users(2);
    network.fail(users.get(0), 503);
    RecordingBalancer recording = new RecordingBalancer(LoadBalancer.roundRobin());
    Mesh orders = mesh("order-service", ServicePolicy.builder().loadBalancer(() -> recording).build());
    for (int i = 0; i < 4; i++) {
      call(orders, MeshRequest.get("/"));
    }
    assertThat(recording.failures).containsOnly(users.get(0)).hasSizeGreaterThanOrEqualTo(2);
    assertThat(recording.successes).containsOnly(users.get(1)).hasSize(4);
    assertThat(recording.selects).isEqualTo(recording.failures.size() + recording.successes.size());
  }

  @Test
  void anUnhealthyInstanceNeverGetsACall() {
    List<ServiceInstance> users = users(3);
    registry.register(users.get(2).withHealth(io.meshwork.registry.HealthStatus.UNHEALTHY));
    Mesh orders = mesh("order-service", roundRobin().build());
    for (int i = 0; i < 20; i++) {
      assertThat(call(orders, MeshRequest.get("/")).bodyAsString()).isNotEqualTo("user-2");
    }
    assertThat(network.requestsTo(users.get(2))).isZero();
  }

  @Test
  void cancellingACallAbortsItAndReturnsTheBreakerPermit() {
    List<ServiceInstance> users = users(1);
    network.hang(users.get(0));
    Mesh orders = mesh("order-service", roundRobin().build());
    for (int i = 0; i < 50; i++) {
      orders.call("user-service", MeshRequest.get("/")).cancel(true);
    }
    network.heal(users.get(0));
    assertThat(call(orders, MeshRequest.get("/")).status()).isEqualTo(200);
    assertThat(instanceHealth(orders, users.get(0)).circuit()).isEqualTo(io.meshwork.resilience.CircuitState.CLOSED);
  }

  @Test
  void theCalleeSeesTheRemainingDeadlineAndAnswers504OnceItPasses() {
    Mesh users = mesh("user-service", ServicePolicy.defaults());
    List<String> seen = new ArrayList<>();
    MeshServer server = users.serve(0, request -> {
      seen.add(request.header("x-meshwork-timeout-ms"));
      return new CompletableFuture<>(); // never answers by itself
    });
    Mesh orders = mesh("order-service", roundRobin().timeout(Duration.ofSeconds(3))
        .retry(RetryPolicy.none()).build());
    CompletableFuture<MeshResponse> call = orders.call("user-service", MeshRequest.get("/"));
    assertThat(seen).containsExactly("3000");
    ticker.advance(Duration.ofSeconds(3));
    assertThatThrownBy(call::join).cause().isInstanceOf(DeadlineExceededException.class);

    // Straight through the transport, the callee's own deadline answers 504.
    CompletableFuture<MeshResponse> direct = network.client(new ClientOptions("user-service",
        Protocol.HTTP_1_1, Duration.ofSeconds(1), 1024)).send(server.instance(), MeshRequest.get("/"),
        Duration.ofSeconds(1).toNanos());
    ticker.advance(Duration.ofMillis(999));
    assertThat(direct).isNotDone();
    ticker.advance(Duration.ofMillis(1));
    assertThat(direct.join().status()).isEqualTo(504);
  }

  @Test
  void aHandlerThatThrowsYieldsA500NotADroppedCall() {
    Mesh users = mesh("user-service", ServicePolicy.defaults());
    users.serve(0, request -> {
      throw new IllegalStateException("handler bug");
    });
    Mesh orders = mesh("order-service", roundRobin().retry(RetryPolicy.none()).build());
    MeshResponse response = call(orders, MeshRequest.get("/"));
    assertThat(response.status()).isEqualTo(500);
    assertThat(response.bodyAsString()).contains("internal error");
  }

  @Test
  void closingAServerDeregistersItsInstanceOnly() {
    Mesh users = mesh("user-service", ServicePolicy.defaults());
    MeshServer first = users.serve(0, request -> CompletableFuture.completedFuture(MeshResponse.ok("1")));
    MeshServer second = users.serve(0, request -> CompletableFuture.completedFuture(MeshResponse.ok("2")));
    first.close();
    assertThat(registry.instances("user-service")).containsExactly(second.instance());
    users.close();
    assertThat(registry.instances("user-service")).isEmpty();
    assertThat(users.call("user-service", MeshRequest.get("/"))).isCompletedExceptionally();
  }

  @Test
  void serveNeedsAServiceNameAndAValidPort() {
    Mesh client = Mesh.builder().registry(registry).transport(network).ticker(ticker).build();
    meshes.add(client);
    assertThatThrownBy(() -> client.serve(0, request -> null))
        .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("MeshBuilder.service");
    Mesh users = mesh("user-service", ServicePolicy.defaults());
    assertThatThrownBy(() -> users.serve(70000, request -> null))
        .hasMessage("port: 70000 (expected: 0..65535, 0 for any free port)");
  }

  @Test
  void aMeshWithoutATransportSaysWhatToAdd() {
    assertThatThrownBy(() -> Mesh.builder().build())
        .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("mesh-netty");
  }

  private static InstanceHealth instanceHealth(Mesh mesh, ServiceInstance instance) {
    DestinationHealth destination = mesh.healthReport().destination("user-service");
    return destination.instances().stream().filter(i -> i.instance().id().equals(instance.id()))
        .findFirst().orElseThrow();
  }
}
