package io.meshwork.netty.internal.server;

import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls the application's handler so that nothing it does can drop a connection: a handler that
 * throws, returns no future, fails its future or completes it with nothing yields a 500 and a log
 * line. The mesh's inbound pipeline already does this; a raw handler bound directly gets it here.
 */
final class RequestDispatch {

  private static final Logger log = LoggerFactory.getLogger(RequestDispatch.class);

  private RequestDispatch() {}

  /** The handler's future for {@code request}; never null, and a synchronous throw becomes a 500. */
  static CompletableFuture<MeshResponse> call(ServerContext context, MeshRequest request) {
    CompletableFuture<MeshResponse> answer;
    try {
      answer = context.handler.handle(request);
    } catch (RuntimeException | Error e) {
      log.error("{}: handler threw on {}", context.service, request, e);
      return CompletableFuture.completedFuture(error(context.service, 500, "internal error"));
    }
    if (answer == null) {
      log.error("{}: handler returned no future for {}", context.service, request);
      return CompletableFuture.completedFuture(error(context.service, 500, "internal error"));
    }
    return answer;
  }

  /** The response to write for a completed handler future. */
  static MeshResponse outcome(ServerContext context, MeshRequest request, MeshResponse response,
      Throwable failure) {
    if (failure != null) {
      Throwable cause = failure instanceof CompletionException && failure.getCause() != null
          ? failure.getCause() : failure;
      log.error("{}: handler failed on {}", context.service, request, cause);
      return error(context.service, 500, "internal error");
    }
    if (response == null) {
      log.error("{}: handler completed {} with no response", context.service, request);
      return error(context.service, 500, "internal error");
    }
    return response;
  }

  /** An error answer of the server itself, with a small JSON body saying why. */
  static MeshResponse error(String service, int status, String message) {
    String json = "{\"error\":\"" + message.replace("\\", "\\\\").replace("\"", "\\\"")
        + "\",\"service\":\"" + service + "\"}";
    return MeshResponse.builder().status(status).header("content-type", "application/json").body(json).build();
  }
}
