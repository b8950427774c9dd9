package io.meshwork;

import io.meshwork.config.ConfigChange;
import io.meshwork.config.MeshConfig;
import io.meshwork.health.HealthReport;
import io.meshwork.registry.ServiceRegistry;
import io.meshwork.telemetry.MeshMetrics;
import java.util.OptionalInt;
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
   *
   * <p>A call made while this mesh's server handles a request (in the handler, or in a callback of
   * a call the handler made) ends no later than that request's deadline.
   */
  default CompletableFuture<MeshResponse> call(String service, MeshRequest request) {
    return call(service, request, CallOptions.none());
  }

  /** Calls {@code service} with per-call {@code options} (a timeout, a hash key, a retry policy, headers). */
  CompletableFuture<MeshResponse> call(String service, MeshRequest request, CallOptions options);

  /** A handle that calls {@code service}; cheap, thread-safe. */
  default ServiceClient client(String service) {
    return client(service, CallOptions.none());
  }

  /** A handle that calls {@code service} with {@code options} as the defaults of its calls. */
  ServiceClient client(String service, CallOptions options);

  /**
   * Gets ready to call {@code services} before the first call: resolves each (waits for the
   * registry's first list), and opens a connection (with its TLS handshake) to each of its instances.
   * The future completes when every connection is open or has failed (failures are logged: the calls
   * will route around them); it fails with {@link NoHealthyInstanceException} when a service has no
   * healthy instance, or when the registry sends no list of its instances within its timeout.
   */
  CompletableFuture<Void> warmUp(String... services);

  /**
   * Serves this mesh's service on {@code port} (0 for any free port): binds, registers the instance
   * with the real port, and hands each request to {@code handler} behind the inbound policies.
   */
  MeshServer serve(int port, MeshHandler handler);

  /** The config in force: every destination's policy, authorization, inbound limits, mTLS mode. */
  MeshConfig config();

  /**
   * Changes the config at run time. The whole config is checked first; a bad one is refused with
   * {@link InvalidConfigurationException} and the config in force stays. Only the destinations whose
   * policy changed get a new call chain, swapped in atomically: calls in flight finish on the old one,
   * new calls take the new one, and the state that still applies (breakers, ejections, balancer
   * latencies, connections, the retry budget) carries over. Listeners hear every applied and every
   * refused change.
   *
   * @return what changed
   */
  ConfigChange apply(MeshConfig config);

  /** What the mesh knows now of its destinations and their instances. */
  HealthReport healthReport();

  /**
   * The metrics of this mesh's calls and requests (empty when {@code TelemetryConfig.metrics} is
   * off): what the admin endpoint exposes and what {@code mesh-micrometer} binds.
   */
  MeshMetrics metrics();

  /** The port of this mesh's admin endpoint ({@link MeshBuilder#admin(int)}); empty when it has none. */
  OptionalInt adminPort();

  /** The registry this mesh discovers and registers with. */
  ServiceRegistry registry();

  /**
   * Stops taking calls, closes servers (deregistering them first), waits for in-flight calls up to
   * the grace period, and releases what the mesh owns. Calls still in flight end by their deadline.
   */
  @Override
  void close();
}
