package io.meshwork.transport;

import io.meshwork.MeshHandler;
import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * What a {@link Transport}'s server hands each inbound request to, in two steps. {@link #admit} sees
 * the request's head (method, target, headers, the caller's verified identity) as soon as it has
 * arrived, before any byte of its body is read or buffered, and may answer at once: this is where
 * the mesh normalizes the path, authorizes the caller and refuses what it must (400, 401, 403, 429,
 * 504...), so a refused request costs no memory for its body. {@link #handle} then gets the admitted
 * head with its whole body.
 *
 * <p>Both run on the transport's threads and must not block. A transport wraps what it is given in
 * {@link #guarded}, so that nothing a handler does can drop a connection.
 */
public interface InboundHandler {

  /**
   * Decides on a request from its head alone.
   *
   * @param head the request as it arrived, with an empty body that is not read yet
   * @return {@link Admission#admit} with the head to go on with, or {@link Admission#refuse} with
   *     the answer to send at once
   */
  Admission admit(MeshRequest head);

  /** Handles an admitted request: the head {@link #admit} returned, with its whole body. */
  CompletableFuture<MeshResponse> handle(MeshRequest request);

  /** An inbound handler that admits every request as it came and hands it to {@code handler}. */
  static InboundHandler of(MeshHandler handler) {
    return new AdmittingHandler(Objects.requireNonNull(handler, "handler"));
  }

  /**
   * {@code handler}, made safe for a transport to call: an admission that throws and a handler
   * that throws, returns no future, fails its future or completes it with nothing each become a
   * 500 answer and a log line naming {@code service}, never an exception.
   */
  static InboundHandler guarded(String service, InboundHandler handler) {
    return handler instanceof GuardedInboundHandler guarded ? guarded
        : new GuardedInboundHandler(service, Objects.requireNonNull(handler, "handler"));
  }
}
