package io.meshwork.internal;

import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import java.util.concurrent.CompletableFuture;

/**
 * A call as a function (Finagle's {@code Service}): the whole chain of a destination, or what is
 * left of it below one stage.
 */
@FunctionalInterface
interface MeshClient {

  /** Executes the request; never throws, the future carries any failure. */
  CompletableFuture<MeshResponse> execute(MeshRequest request, CallContext context);
}
