package io.meshwork.transport;

import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that turns a failing handler into an answer: whatever {@code handler} throws or
 * fails with, or leaves out, the caller gets a 500 and the log a line with the cause.
 */
final class GuardedInboundHandler implements InboundHandler {

  private static final Logger log = LoggerFactory.getLogger(GuardedInboundHandler.class);

  private final String service;
  private final InboundHandler handler;

  GuardedInboundHandler(String service, InboundHandler handler) {
    this.service = service;
    this.handler = handler;
  }

  @Override
  public Admission admit(MeshRequest head) {
    try {
      Admission admission = handler.admit(head);
      if (admission != null) {
        return admission;
      }
      log.error("{}: admission of {} returned nothing", service, head);
    } catch (RuntimeException | Error e) {
      log.error("{}: admission of {} threw", service, head, e);
    }
    return Admission.refuse(internalError());
  }

  @Override
  public CompletableFuture<MeshResponse> handle(MeshRequest request) {
    CompletableFuture<MeshResponse> answer;
    try {
      answer = handler.handle(request);
    } catch (RuntimeException | Error e) {
      log.error("{}: handler threw on {}", service, request, e);
      return CompletableFuture.completedFuture(internalError());
    }
    if (answer == null) {
      log.error("{}: handler returned no future for {}", service, request);
      return CompletableFuture.completedFuture(internalError());
    }
    if (answer.isDone() && !answer.isCompletedExceptionally() && answer.getNow(null) != null) {
      return answer; // answered at once: no second future
    }
    return answer.handle((response, failure) -> {
      if (failure != null) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause() : failure;
        log.error("{}: handler failed on {}", service, request, cause);
        return internalError();
      }
      if (response == null) {
        log.error("{}: handler completed {} with no response", service, request);
        return internalError();
      }
      return response;
    });
  }

  private MeshResponse internalError() {
    return ErrorResponses.of(500, service, "internal error");
  }
}
