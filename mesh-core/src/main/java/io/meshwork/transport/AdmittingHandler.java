package io.meshwork.transport;

import io.meshwork.MeshHandler;
import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import java.util.concurrent.CompletableFuture;

/** An application's handler bound directly to a transport: every request is admitted as it came. */
record AdmittingHandler(MeshHandler handler) implements InboundHandler {

  @Override
  public Admission admit(MeshRequest head) {
    return Admission.admit(head);
  }

  @Override
  public CompletableFuture<MeshResponse> handle(MeshRequest request) {
    return handler.handle(request);
  }
}
