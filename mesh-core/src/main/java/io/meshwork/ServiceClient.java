package io.meshwork;

import java.util.concurrent.CompletableFuture;

/**
 * A handle on one destination service, with default {@link CallOptions} of its own: made by
 * {@link Mesh#client(String)}, cheap, thread-safe, and valid as long as its mesh.
 *
 * <pre>{@code
 * ServiceClient users = mesh.client("user-service",
 *     CallOptions.builder().timeout(Duration.ofSeconds(1)).header("authorization", token).build());
 * MeshResponse alice = users.call(MeshRequest.get("/users/alice")).join();
 * }</pre>
 */
public interface ServiceClient {

  /** The service this handle calls. */
  String service();

  /** The default options of this handle's calls. */
  CallOptions options();

  /** Calls the service with this handle's options; see {@link Mesh#call(String, MeshRequest)}. */
  CompletableFuture<MeshResponse> call(MeshRequest request);

  /** Calls the service with {@code options} over this handle's defaults. */
  CompletableFuture<MeshResponse> call(MeshRequest request, CallOptions options);

  /** A handle on the same service whose defaults are {@code options} over this one's. */
  ServiceClient withOptions(CallOptions options);
}
