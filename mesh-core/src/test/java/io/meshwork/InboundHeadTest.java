package io.meshwork;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.registry.InMemoryServiceRegistry;
import io.meshwork.security.AuthorizationPolicy;
import io.meshwork.security.AuthorizationRule;
import io.meshwork.time.FakeTicker;
import io.meshwork.transport.InMemoryTransport;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The inbound side on the in-memory transport behaves as on sockets: the path is normalized once and
 * the rules and the handler see that one form; methods are case-sensitive for both.
 */
class InboundHeadTest {

  private final FakeTicker ticker = new FakeTicker();
  private final InMemoryServiceRegistry registry = new InMemoryServiceRegistry();
  private final InMemoryTransport network = new InMemoryTransport(ticker);
  private final List<String> seen = new CopyOnWriteArrayList<>();
  private Mesh users;
  private Mesh orders;

  @BeforeEach
  void serve() {
    users = Mesh.builder().service("user-service").registry(registry).transport(network).ticker(ticker)
        .authorization(AuthorizationPolicy.of(AuthorizationRule.allow().withMethods("GET"),
            AuthorizationRule.deny().toPaths("/admin/*").named("no-admin")))
        .shutdownGrace(Duration.ZERO).build();
    users.serve(0, request -> {
      seen.add(request.method() + " " + request.path());
      return CompletableFuture.completedFuture(MeshResponse.ok("handled"));
    });
    orders = Mesh.builder().service("order-service").registry(registry).transport(network).ticker(ticker)
        .shutdownGrace(Duration.ZERO).build();
  }

  @AfterEach
  void close() {
    orders.close();
    users.close();
    network.close();
  }

  @Test
  void encodedSpellingsOfADeniedPathAreDenied() {
    assertThat(status(MeshRequest.get("/%61dmin/secret"))).isEqualTo(403);
    assertThat(status(MeshRequest.get("/public/../admin/secret"))).isEqualTo(403);
    assertThat(status(MeshRequest.get("/public/%2e%2e/admin/secret"))).isEqualTo(400);
    assertThat(seen).isEmpty();
  }

  @Test
  void theHandlerSeesTheNormalizedPath() {
    assertThat(status(MeshRequest.get("/public/./%7euser//x?q=%2f"))).isEqualTo(200);
    assertThat(seen).containsExactly("GET /public/~user/x?q=%2f");
  }

  @Test
  void aLowerCaseMethodIsAnotherMethodForTheRulesAndTheHandler() {
    assertThat(status(MeshRequest.builder().method("get").path("/public").build()))
        .as("the allow rule names GET only").isEqualTo(403);
    assertThat(seen).isEmpty();
  }

  private int status(MeshRequest request) {
    return FakeTime.runUntilDone(ticker, orders.call("user-service", request), Duration.ofSeconds(20)).join()
        .status();
  }
}
