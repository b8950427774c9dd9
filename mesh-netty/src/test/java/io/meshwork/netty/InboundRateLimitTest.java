package io.meshwork.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.Mesh;
import io.meshwork.MeshResponse;
import io.meshwork.config.MeshConfig;
import io.meshwork.netty.testing.Binaries;
import io.meshwork.netty.testing.ChildProcess;
import io.meshwork.netty.testing.CurlResponse;
import io.meshwork.registry.InMemoryServiceRegistry;
import io.meshwork.traffic.InboundRateLimit;
import io.meshwork.traffic.RateLimit;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The inbound rate limit of mesh.serve seen by curl over real sockets: 429 with Retry-After. */
class InboundRateLimitTest {

  @TempDir
  Path dir;
  private final List<AutoCloseable> closing = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
  }

  @Test
  void pastItsBurstACallerIsAnswered429WithRetryAfterAndTheLimitChangesAtRunTime() throws Exception {
    NettyTransport transport = NettyTransport.create();
    closing.add(transport);
    Mesh users = Mesh.builder().service("user-service").registry(new InMemoryServiceRegistry()).transport(transport)
        .inboundRateLimit(InboundRateLimit.perCaller(RateLimit.of(0.5, 3))).build();
    closing.add(users);
    int port = users.serve(0, request -> CompletableFuture.completedFuture(MeshResponse.ok("hello"))).port();
    List<Integer> statuses = new ArrayList<>();
    CurlResponse refused = null;
    for (int i = 0; i < 5; i++) {
      CurlResponse response = curl(port);
      statuses.add(response.status());
      if (response.status() == 429) {
        refused = response;
      }
    }
    assertThat(statuses).containsExactly(200, 200, 200, 429, 429);
    assertThat(refused.header("retry-after")).isEqualTo("2");
    assertThat(new String(refused.body())).contains("inbound rate limit per caller (0.5/s, burst 3) reached");

    users.apply(users.config().toBuilder().inboundRateLimit(null).build());
    assertThat(curl(port).status()).as("no limit once the config drops it").isEqualTo(200);
    users.apply(MeshConfig.builder().inboundRateLimit(InboundRateLimit.perServer(RateLimit.of(1, 1))).build());
    assertThat(curl(port).status()).isEqualTo(200);
    assertThat(curl(port).status()).isEqualTo(429);
  }

  private CurlResponse curl(int port) throws Exception {
    ChildProcess.Result result = ChildProcess.run(dir, Duration.ofSeconds(15), List.of(Binaries.curl().toString(),
        "-s", "-i", "--max-time", "10", "http://127.0.0.1:" + port + "/users/1"));
    assertThat(result.exitCode()).as(result.text()).isZero();
    return CurlResponse.parse(result.output());
  }
}
