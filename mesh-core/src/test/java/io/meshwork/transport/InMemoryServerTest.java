package io.meshwork.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import io.meshwork.policy.Protocol;
import io.meshwork.policy.ServerLimits;
import io.meshwork.registry.ServiceInstance;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The in-memory server keeps the contract of the real ones: head first, body only once admitted. */
class InMemoryServerTest {

  private final InMemoryTransport transport = new InMemoryTransport();
  private final List<String> admitted = new ArrayList<>();

  @AfterEach
  void close() {
    transport.close();
  }

  @Test
  void admitSeesTheHeadWithoutItsBodyAndARefusalNeverReachesHandle() throws Exception {
    ServiceInstance instance = bind(ServerLimits.defaults(), new InboundHandler() {
      @Override
      public Admission admit(MeshRequest head) {
        admitted.add(head.path() + " " + head.bodyLength());
        return head.path().startsWith("/private")
            ? Admission.refuse(ErrorResponses.of(403, "svc", "forbidden")) : Admission.admit(head);
      }

      @Override
      public CompletableFuture<MeshResponse> handle(MeshRequest request) {
        return CompletableFuture.completedFuture(MeshResponse.ok("handled " + request.bodyAsString()));
      }
    });

    assertThat(send(instance, MeshRequest.post("/public", "body")).bodyAsString()).isEqualTo("handled body");
    assertThat(send(instance, MeshRequest.post("/private", "body")).status()).isEqualTo(403);
    assertThat(admitted).containsExactly("/public 0", "/private 0");
  }

  @Test
  void aBodyOverTheLimitGets413BeforeAdmission() throws Exception {
    ServiceInstance instance = bind(new ServerLimits(4, 1024, 10), InboundHandler.of(
        request -> CompletableFuture.completedFuture(MeshResponse.ok("handled"))));
    MeshResponse response = send(instance, MeshRequest.post("/", "too long"));
    assertThat(response.status()).isEqualTo(413);
    assertThat(response.bodyAsString()).contains("request body of 8 bytes exceeds the limit of 4");
  }

  @Test
  void aHandlerThatThrowsOrReturnsNothingIsA500() throws Exception {
    ServiceInstance throwing = bind(ServerLimits.defaults(), InboundHandler.of(request -> {
      throw new IllegalStateException("bug");
    }));
    assertThat(send(throwing, MeshRequest.get("/")).status()).isEqualTo(500);
    ServiceInstance empty = bind(ServerLimits.defaults(), InboundHandler.of(request -> null));
    assertThat(send(empty, MeshRequest.get("/")).bodyAsString())
        .isEqualTo("{\"error\":\"internal error\",\"service\":\"svc\"}");
  }

  private ServiceInstance bind(ServerLimits limits, InboundHandler handler) {
    TransportServer server = transport.bind(ServerOptions.of("svc", "127.0.0.1", 0, limits), handler);
    return ServiceInstance.builder("svc", "svc-" + server.port()).host("127.0.0.1").port(server.port()).build();
  }

  private MeshResponse send(ServiceInstance instance, MeshRequest request) throws Exception {
    TransportClient client = transport.client(new ClientOptions("svc", Protocol.HTTP_1_1, Duration.ofSeconds(1),
        1 << 20));
    return client.send(instance, request, TimeUnit.SECONDS.toNanos(5)).get(5, TimeUnit.SECONDS);
  }
}
