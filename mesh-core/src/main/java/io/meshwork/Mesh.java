package io.meshwork;

import io.meshwork.health.HealthReport;
import io.meshwork.registry.ServiceRegistry;
import java.util.concurrent.CompletableFuture;

/**
 * A client-side service mesh inside this process. Build one with {@link #builder()}, call other
 * services by name with {@link #call}, and put the same policies in front of your own handler with
 * {@link #serve}.
 *
 * <pre>{@code
 * try (Mesh mesh = Mesh.builder().service("order-service").build()) {
 *   MeshResponse r = mesh.call("user-service", MeshRequest.get("/users/42")).join();
 * }
 * }</pre>
 */
public interface Mesh extends AutoCloseable {

  /** A builder of a mesh. */
  static MeshBuilder builder() {
    return new MeshBuilder();
  }

  /**
   * Calls {@code service}: discovery, balancing, retries, breakers and the deadline are applied by
   * the destination's policy. The future completes with the response (any status: a 5xx that
   * retries could not cure is returned as it is) or fails with a {@link MeshException} that says
   * what happened; it always completes within the policy's timeout. Cancelling it aborts the call.
   */
  CompletableFuture<MeshResponse> call(String service, MeshRequest request);

  /**
   * Serves this mesh's service on {@code port} (0 for any free port): binds, registers the instance
   * with the real port, and hands each request to {@code handler} behind the inbound policies.
   */
  MeshServer serve(int port, MeshHandler handler);

  /** What the mesh knows now of its destinations and their instances. */
  HealthReport healthReport();

  /** The registry this mesh discovers and registers with. */
  ServiceRegistry registry();

  /**
   * Stops taking calls, closes servers (deregistering them first), waits for in-flight calls up to
   * the grace period, and releases what the mesh owns. Calls still in flight end by their deadline.
   */
  @Override
  void close();
}
