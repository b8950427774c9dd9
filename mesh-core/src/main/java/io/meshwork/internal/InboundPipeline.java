package io.meshwork.internal;

import io.meshwork.MeshHandler;
import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import io.meshwork.security.AuditLog;
import io.meshwork.security.AuthorizationPolicy;
import io.meshwork.security.Decision;
import io.meshwork.security.PathNormalizer;
import io.meshwork.security.WorkloadIdentity;
import io.meshwork.time.Scheduler;
import io.meshwork.transport.Admission;
import io.meshwork.transport.ErrorResponses;
import io.meshwork.transport.InboundHandler;
import io.meshwork.transport.TransportHeaders;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inbound sidecar in front of the application's handler. On the request head, before any body
 * is read: normalizes the path once (400 when it is refused), so the rules and the handler see the
 * same form; applies the authorization policy to the caller's verified identity (403 with a JSON
 * reason and an audit line); refuses a request whose deadline has already passed (504). Then hands
 * the whole request to the handler, answering 504 once the caller's deadline passes, and 500 when
 * the handler throws, fails or returns nothing. Later checks of the head (an inbound rate limit,
 * JWT) belong in {@link #admit}.
 */
final class InboundPipeline implements InboundHandler {

  private static final Logger log = LoggerFactory.getLogger(InboundPipeline.class);

  private final String service;
  private final InboundHandler application;
  private final Scheduler scheduler;
  private final AuthorizationPolicy authorization;

  InboundPipeline(String service, MeshHandler handler, Scheduler scheduler, AuthorizationPolicy authorization) {
    this.service = service;
    this.application = InboundHandler.guarded(service, InboundHandler.of(handler));
    this.scheduler = scheduler;
    this.authorization = authorization;
  }

  @Override
  public Admission admit(MeshRequest head) {
    String path;
    try {
      path = PathNormalizer.normalize(head.path());
    } catch (IllegalArgumentException e) {
      return Admission.refuse(ErrorResponses.of(400, service, e.getMessage()));
    }
    WorkloadIdentity caller = head.peerIdentity().orElse(null);
    Decision decision = authorization.evaluate(caller, head.method(), path);
    if (decision.isDenied()) {
      AuditLog.record(decision, caller, service, head.method(), path);
      return Admission.refuse(ErrorResponses.of(403, service, "forbidden", decision.reason()));
    }
    if (timeoutMillis(head) == 0) {
      return Admission.refuse(ErrorResponses.of(504, service, "deadline exceeded before the request was handled"));
    }
    return Admission.admit(path == head.path() ? head : head.toBuilder().path(path).build());
  }

  @Override
  public CompletableFuture<MeshResponse> handle(MeshRequest request) {
    CompletableFuture<MeshResponse> answer = application.handle(request);
    long timeoutMillis = timeoutMillis(request);
    if (timeoutMillis > 0 && !answer.isDone()) {
      // The guarded future is our own, not the application's: completing it early is safe.
      Scheduler.Cancellable timer = scheduler.schedule(
          () -> answer.complete(ErrorResponses.of(504, service, "deadline exceeded while the request was handled")),
          timeoutMillis, TimeUnit.MILLISECONDS);
      answer.whenComplete((response, failure) -> timer.cancel());
    }
    return answer;
  }

  /** The caller's remaining deadline in ms; -1 when it sent none or an unreadable one. */
  private long timeoutMillis(MeshRequest request) {
    String value = request.header(TransportHeaders.TIMEOUT_MS);
    if (value == null) {
      return -1;
    }
    try {
      return Math.max(0, Long.parseLong(value.trim()));
    } catch (NumberFormatException e) {
      log.debug("{}: ignoring unreadable {} header '{}'", service, TransportHeaders.TIMEOUT_MS, value);
      return -1;
    }
  }
}
