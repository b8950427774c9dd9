package io.meshwork.bench.scale;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import io.meshwork.policy.Protocol;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.transport.ClientOptions;
import io.meshwork.transport.InboundHandler;
import io.meshwork.transport.ServerOptions;
import io.meshwork.transport.TransportClient;
import io.meshwork.transport.TransportServer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A simulated process's transport: an instance nobody serves answers with its id at once, one this
 * transport serves gets the call itself, and after the server closes the model answers again.
 */
class RecordingTransportTest {

  private static final long TIMEOUT = TimeUnit.SECONDS.toNanos(5);

  @Test
  void aServedInstanceGetsTheCallAndAnUnservedOneAnswersWithItsId() {
    try (RecordingTransport transport = new RecordingTransport()) {
      TransportServer server = transport.bind(ServerOptions.of("orders", "127.0.0.1", 0),
          InboundHandler.of(request -> CompletableFuture.completedFuture(MeshResponse.ok("served " + request.path()))));
      ServiceInstance served = instance("served", server.port());
      ServiceInstance simulated = instance("simulated", server.port() + 1);
      try (TransportClient client = transport.client(
          new ClientOptions("orders", Protocol.HTTP_1_1, Duration.ofSeconds(1), 1 << 20))) {
        assertThat(client.send(served, MeshRequest.get("/a"), TIMEOUT).join().bodyAsString()).isEqualTo("served /a");
        assertThat(client.send(simulated, MeshRequest.get("/a"), TIMEOUT).join().bodyAsString())
            .isEqualTo("simulated");

        server.close();
        assertThat(client.send(served, MeshRequest.get("/a"), TIMEOUT).join().bodyAsString()).isEqualTo("served");
      }
    }
  }

  private static ServiceInstance instance(String id, int port) {
    return ServiceInstance.builder("orders", id).host("127.0.0.1").port(port).build();
  }
}
