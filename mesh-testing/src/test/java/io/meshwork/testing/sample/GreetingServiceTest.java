package io.meshwork.testing.sample;

import static io.meshwork.resilience.CircuitState.CLOSED;
import static io.meshwork.resilience.CircuitState.HALF_OPEN;
import static io.meshwork.resilience.CircuitState.OPEN;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import io.meshwork.testing.MeshExtension;
import io.meshwork.testing.ScriptedInstance;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A user's service tested through the kit only: no sockets, no sleeps, time is the kit's. */
class GreetingServiceTest {

  @RegisterExtension
  final MeshExtension mesh = new MeshExtension();

  private GreetingService greetings;

  @BeforeEach
  void start() {
    greetings = new GreetingService(
        mesh.newMesh("greeting-service", builder -> builder.policy("user-service", GreetingService.USER_SERVICE_POLICY)));
  }

  private static CompletableFuture<MeshResponse> nameOf(MeshRequest request) {
    String id = request.path().substring("/users/".length());
    return CompletableFuture.completedFuture(MeshResponse.ok(id.equals("42") ? "Alice" : "Bob"));
  }

  @Test
  void greetsByTheNameUserServiceGives() {
    ScriptedInstance users = mesh.instance("user-service", GreetingServiceTest::nameOf);

    assertThat(mesh.await(greetings.greet("42"))).isEqualTo("Hello, Alice");

    mesh.assertCalls(users, 1);
    assertThat(users.lastRequest().orElseThrow().path()).isEqualTo("/users/42");
    mesh.assertRetries("user-service", 0);
  }

  @Test
  void aFailedAttemptIsRetriedOnAnotherInstance() {
    List<ScriptedInstance> users = mesh.instances("user-service", 2);
    users.forEach(user -> user.answer(GreetingServiceTest::nameOf));
    users.get(0).failNext(1, 503);

    assertThat(mesh.await(greetings.greet("42"))).isEqualTo("Hello, Alice");

    mesh.assertAttempts("user-service", 2);
    mesh.assertRetries("user-service", 1);
    mesh.assertCalls(users.get(0), 1);
    mesh.assertCalls(users.get(1), 1);
  }

  @Test
  void aHangingInstanceIsCutOffByThePerTryTimeout() {
    List<ScriptedInstance> users = mesh.instances("user-service", 2);
    users.get(0).hang();
    users.get(1).answer("Carol");

    assertThat(mesh.await(greetings.greet("7"))).isEqualTo("Hello, Carol");

    // The first attempt waited its whole per-try timeout; the retry's backoff is at most 25 ms.
    assertThat(mesh.ticker().nanoTime()).isBetween(Duration.ofMillis(300).toNanos(), Duration.ofMillis(325).toNanos());
    mesh.assertRetries("user-service", 1);
  }

  @Test
  void fallsBackWhenEveryAttemptFails() {
    ScriptedInstance users = mesh.instance("user-service").failWith(503);

    assertThat(mesh.await(greetings.greet("42"))).isEqualTo(GreetingService.FALLBACK);

    mesh.assertCalls(users, 3);
    mesh.assertRetries("user-service", 2);
  }

  @Test
  void fallsBackWhenTheDeadlinePasses() {
    mesh.instance("user-service").slow(Duration.ofSeconds(5));

    assertThat(mesh.await(greetings.greet("42"))).isEqualTo(GreetingService.FALLBACK);

    // Three attempts of 300 ms and their backoff end well inside the 2 s deadline.
    assertThat(mesh.ticker().nanoTime()).isLessThan(Duration.ofSeconds(2).toNanos());
    mesh.assertAttempts("user-service", 3);
  }

  @Test
  void theBreakerOpensAfterThreeFailuresPanicKeepsTheOnlyInstanceInUseAndAProbeClosesIt() {
    ScriptedInstance users = mesh.instance("user-service").refuse();

    assertThat(mesh.await(greetings.greet("42"))).isEqualTo(GreetingService.FALLBACK);
    mesh.assertBreakerStates(users, CLOSED, OPEN);

    // Its only instance open (and ejected), the destination is in panic: the mesh calls it anyway,
    // as Envoy's panic routing does, so one bad spell cannot cut a service off for the open time.
    users.heal().answer("Alice");
    assertThat(mesh.await(greetings.greet("42"))).isEqualTo("Hello, Alice");
    mesh.assertCalls(users, 1);
    mesh.assertBreakerStates(users, CLOSED, OPEN);

    // Once the open duration has passed, the next call is the breaker's probe, and closes it.
    mesh.ticker().advance(Duration.ofSeconds(10));
    assertThat(mesh.await(greetings.greet("42"))).isEqualTo("Hello, Alice");
    mesh.assertBreakerStates(users, CLOSED, OPEN, HALF_OPEN, CLOSED);
    mesh.assertCalls(users, 2);
  }

  @Test
  void outlierDetectionEjectsAnInstanceThatKeepsFailing() {
    List<ScriptedInstance> users = mesh.instances("user-service", 2);
    users.get(0).failWith(500);
    users.get(1).answer("Dave");

    for (int i = 0; i < 4; i++) {
      assertThat(mesh.await(greetings.greet("9"))).isEqualTo("Hello, Dave");
    }

    mesh.assertEjections(users.get(0), 1);
    mesh.assertEjections(users.get(1), 0);
    // Ejected after its second failure: later calls go to the healthy instance only.
    mesh.assertCalls(users.get(0), 2);
    mesh.assertCalls(users.get(1), 4);
  }
}
