package io.meshwork.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.meshwork.ConnectFailedException;
import io.meshwork.Mesh;
import io.meshwork.MeshClosedException;
import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import io.meshwork.policy.ServicePolicy;
import io.meshwork.resilience.RetryPolicy;
import io.meshwork.time.FakeTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.opentest4j.AssertionFailedError;

class MeshExtensionTest {

  @RegisterExtension
  final MeshExtension mesh = new MeshExtension();

  private Mesh caller(RetryPolicy retry) {
    return mesh.newMesh("order-service",
        builder -> builder.defaultPolicy(ServicePolicy.builder().retry(retry).build()));
  }

  @Test
  void aFailedAssertionSaysWhatTheMeshDid() {
    ScriptedInstance users = mesh.instance("user-service").failNext(1, 503);
    mesh.await(caller(RetryPolicy.defaults()).call("user-service", MeshRequest.get("/users/1")));

    assertThatThrownBy(() -> mesh.assertRetries("user-service", 0))
        .isInstanceOf(AssertionFailedError.class)
        .hasMessageContaining("retries to user-service: expected 0 but was 1")
        .hasMessageContaining("attempt 1 GET /users/1 on " + users.address() + " -> status 503")
        .hasMessageContaining("attempt 2 GET /users/1 on " + users.address() + " -> status 200");
    assertThatThrownBy(() -> mesh.assertCalls(users, 1))
        .hasMessageStartingWith("calls to user-service@" + users.address() + ": expected 1 but was 2");
  }

  @Test
  void awaitThrowsTheCallsFailureUnwrapped() {
    mesh.instance("user-service").refuse();
    CompletableFuture<MeshResponse> call = caller(RetryPolicy.none()).call("user-service", MeshRequest.get("/"));

    assertThatThrownBy(() -> mesh.await(call)).isInstanceOf(ConnectFailedException.class);
    assertThat(mesh.awaitFailure(call)).isInstanceOf(ConnectFailedException.class);
  }

  @Test
  void awaitFailureFailsWhenTheCallSucceeds() {
    mesh.instance("user-service");
    CompletableFuture<MeshResponse> call = caller(RetryPolicy.none()).call("user-service", MeshRequest.get("/"));

    assertThatThrownBy(() -> mesh.awaitFailure(call))
        .isInstanceOf(AssertionFailedError.class)
        .hasMessageStartingWith("expected the call to fail, but it completed with");
  }

  @Test
  void awaitFailsAtOnceOnAFutureThatTimeCannotComplete() {
    assertThatThrownBy(() -> mesh.await(new CompletableFuture<String>()))
        .isInstanceOf(AssertionFailedError.class)
        .hasMessageContaining("no task is scheduled");
  }

  @Test
  void aStoppedInstanceIsNoLongerCalled() {
    List<ScriptedInstance> users = mesh.instances("user-service", 2);
    users.get(0).stop();
    Mesh orders = caller(RetryPolicy.none());

    for (int i = 0; i < 3; i++) {
      assertThat(mesh.await(orders.call("user-service", MeshRequest.get("/"))).status()).isEqualTo(200);
    }
    mesh.assertCalls(users.get(0), 0);
    mesh.assertCalls(users.get(1), 3);
  }

  @Test
  void badCountsAreRejected() {
    assertThatThrownBy(() -> mesh.instances("user-service", 0))
        .hasMessage("count: 0 (expected: >= 1)");
  }

  @Test
  void outsideATestItSaysHowToRegisterIt() {
    assertThatThrownBy(() -> new MeshExtension().ticker())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("@RegisterExtension");
  }

  @Test
  void eachTestGetsItsOwnMeshAndEverythingIsClosedAfterIt() {
    Sample.meshes.clear();
    Sample.tickers.clear();

    EngineTestKit.engine("junit-jupiter").selectors(selectClass(Sample.class)).execute()
        .testEvents().assertStatistics(stats -> stats.started(2).succeeded(2));

    assertThat(Sample.tickers).hasSize(2).doesNotHaveDuplicates();
    for (Mesh closed : Sample.meshes) {
      assertThat(closed.call("user-service", MeshRequest.get("/"))).isCompletedExceptionally()
          .failsWithin(Duration.ZERO).withThrowableThat().withCauseInstanceOf(MeshClosedException.class);
    }
  }

  /** Run by the engine test kit above, not by the build directly. */
  static class Sample {
    static final List<Mesh> meshes = new ArrayList<>();
    static final List<FakeTicker> tickers = new ArrayList<>();

    @RegisterExtension
    final MeshExtension mesh = new MeshExtension();

    @Test
    void first() {
      use();
    }

    @Test
    void second() {
      use();
    }

    private void use() {
      mesh.instance("user-service");
      Mesh orders = mesh.newMesh("order-service");
      assertThat(mesh.await(orders.call("user-service", MeshRequest.get("/"))).bodyAsString()).isEqualTo("ok");
      assertThat(mesh.registry().discover("user-service")).hasSize(1);
      meshes.add(orders);
      tickers.add(mesh.ticker());
    }
  }
}
