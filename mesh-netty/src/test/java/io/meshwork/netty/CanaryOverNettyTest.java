package io.meshwork.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.Mesh;
import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import io.meshwork.policy.ServicePolicy;
import io.meshwork.registry.InMemoryServiceRegistry;
import io.meshwork.traffic.HeaderMatch;
import io.meshwork.traffic.RouteDestination;
import io.meshwork.traffic.RouteMatch;
import io.meshwork.traffic.RouteRule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Traffic policy over real sockets: v1 and v2 instances of user-service as real servers, a header
 * rule and a 90/10 canary split, and every answer checked against the instance that gave it.
 */
class CanaryOverNettyTest {

  private final InMemoryServiceRegistry registry = new InMemoryServiceRegistry();
  private final List<AutoCloseable> closing = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
  }

  private <T extends AutoCloseable> T closeLater(T resource) {
    closing.add(resource);
    return resource;
  }

  @Test
  void theBetaHeaderReachesV2AndTheRestSplitsNinetyTen() throws Exception {
    NettyTransport transport = closeLater(NettyTransport.create());
    Map<Integer, String> versionByPort = new HashMap<>();
    for (String version : List.of("v1", "v1", "v2")) {
      Mesh users = closeLater(Mesh.builder().service("user-service").registry(registry).transport(transport)
          .labels(Map.of("version", version)).build());
      int port = users.serve(0, request -> CompletableFuture.completedFuture(
          MeshResponse.ok(version + " " + request.header("host")))).port();
      versionByPort.put(port, version);
    }
    ServicePolicy policy = ServicePolicy.builder()
        .subset("v1", Map.of("version", "v1")).subset("v2", Map.of("version", "v2"))
        .route(RouteRule.builder("beta").match(RouteMatch.builder().header(HeaderMatch.exact("version", "beta")).build())
            .destination(RouteDestination.of("user-service", "v2")).build())
        .route(RouteRule.builder("canary")
            .destination(RouteDestination.of("user-service", "v1").withWeight(90))
            .destination(RouteDestination.of("user-service", "v2").withWeight(10)).build())
        .build();
    Mesh frontend = closeLater(Mesh.builder().service("frontend").registry(registry).transport(transport)
        .random(new Random(7)).policy("user-service", policy).build());

    for (int i = 0; i < 50; i++) {
      String answer = frontend.call("user-service", MeshRequest.builder().path("/users/" + i)
          .header("version", "beta").build()).get(5, TimeUnit.SECONDS).bodyAsString();
      assertThat(answer).startsWith("v2 ");
      assertThat(versionByPort.get(port(answer))).isEqualTo("v2");
    }
    int canary = 0;
    int calls = 2_000;
    for (int i = 0; i < calls; i++) {
      String answer = frontend.call("user-service", MeshRequest.get("/users/" + i)).get(5, TimeUnit.SECONDS)
          .bodyAsString();
      String version = versionByPort.get(port(answer));
      assertThat(answer).startsWith(version + " ");
      if (version.equals("v2")) {
        canary++;
      }
    }
    // n = 2,000, p = 0.1: sd = 13.4; +-3.29 sd at p = 0.999: 200 +- 45.
    assertThat(canary).isBetween(155, 245);
  }

  /** The port in "version 127.0.0.1:port", the Host the server saw. */
  private static int port(String answer) {
    return Integer.parseInt(answer.substring(answer.lastIndexOf(':') + 1));
  }
}
