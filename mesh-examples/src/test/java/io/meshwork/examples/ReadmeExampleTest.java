package io.meshwork.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.meshwork.Mesh;
import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import io.meshwork.registry.InMemoryServiceRegistry;
import io.meshwork.transport.InMemoryTransport;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The README's usage example, verbatim: if this stops compiling or passing, the README is wrong. */
class ReadmeExampleTest {

  @Test
  void theReadmeExampleWorks() {
    // --- README example start ---
    var registry = new InMemoryServiceRegistry();
    var transport = new InMemoryTransport();
    try (Mesh users = Mesh.builder().service("user-service").registry(registry).transport(transport).build();
         Mesh orders = Mesh.builder().service("order-service").registry(registry).transport(transport).build()) {
      users.serve(8080, request -> CompletableFuture.completedFuture(MeshResponse.ok("alice")));
      MeshResponse answer = orders.call("user-service", MeshRequest.get("/users/1")).join();
      assertEquals("alice", answer.bodyAsString());
    }
    // --- README example end ---
    transport.close();
  }
}
