package io.meshwork.controlplane;

import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;

/**
 * A check of an inbound request's head (method, path, headers, the caller's identity) that runs before
 * the authorization policy, such as the JWT check a control plane's security rules ask for. It answers
 * null to let the request go on, or the response that ends it (a 401 with {@code WWW-Authenticate}).
 * Called on the server's event loop for every request: it must be quick and must not block.
 */
@FunctionalInterface
public interface InboundGate {

  /** The gate that lets every request through. */
  InboundGate OPEN = request -> null;

  /** Null to let {@code request} go on; otherwise the answer that refuses it. */
  MeshResponse check(MeshRequest request);
}
