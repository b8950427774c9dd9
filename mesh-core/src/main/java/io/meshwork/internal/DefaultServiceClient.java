package io.meshwork.internal;

import io.meshwork.CallOptions;
import io.meshwork.Mesh;
import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import io.meshwork.ServiceClient;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/** A handle on one destination of a mesh, with default options. */
final class DefaultServiceClient implements ServiceClient {

  private final Mesh mesh;
  private final String service;
  private final CallOptions options;

  DefaultServiceClient(Mesh mesh, String service, CallOptions options) {
    this.mesh = mesh;
    this.service = service;
    this.options = Objects.requireNonNull(options, "options");
  }

  @Override
  public String service() {
    return service;
  }

  @Override
  public CallOptions options() {
    return options;
  }

  @Override
  public CompletableFuture<MeshResponse> call(MeshRequest request) {
    return mesh.call(service, request, options);
  }

  @Override
  public CompletableFuture<MeshResponse> call(MeshRequest request, CallOptions callOptions) {
    return mesh.call(service, request, callOptions.over(options));
  }

  @Override
  public ServiceClient withOptions(CallOptions more) {
    return new DefaultServiceClient(mesh, service, more.over(options));
  }

  @Override
  public String toString() {
    return "ServiceClient{" + service + ", " + options + "}";
  }
}
