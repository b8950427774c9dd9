package io.meshwork.internal;

import io.meshwork.MeshHandler;
import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import io.meshwork.controlplane.InboundGate;
import io.meshwork.security.AuditLog;
import io.meshwork.security.AuthorizationPolicy;
import io.meshwork.security.Decision;
import io.meshwork.security.WorkloadIdentity;
import io.meshwork.time.Scheduler;
import io.meshwork.time.Ticker;
import io.meshwork.transport.TransportHeaders;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inbound sidecar in front of the application's handler: applies the authorization policy to
 * the caller's verified identity (403 with a JSON reason and an audit line), honours the caller's
 * deadline (504 once it has passed) and turns a handler that throws, fails or returns nothing into
 * a 500 and a log line, never a dropped connection.
 */
final class InboundPipeline implements MeshHandler {

  private static final Logger log = LoggerFactory.getLogger(InboundPipeline.class);

  private final String service;
  private final MeshHandler handler;
  private final Ticker ticker;
  private final Scheduler scheduler;
  private final Supplier<AuthorizationPolicy> authorization;
  private final InboundGate gate;

  InboundPipeline(String service, MeshHandler handler, Ticker ticker, Scheduler scheduler,
      Supplier<AuthorizationPolicy> authorization, InboundGate gate) {
    this.service = service;
    this.handler = handler;
    this.ticker = ticker;
    this.scheduler = scheduler;
    this.authorization = authorization;
    this.gate = gate;
  }

  @Override
  public CompletableFuture<MeshResponse> handle(MeshRequest request) {
    // The control plane's checks of the head (a JWT its security rules require) come before authorization.
    MeshResponse refused = gate.check(request);
    if (refused != null) {
      return CompletableFuture.completedFuture(refused);
    }
    WorkloadIdentity caller = request.peerIdentity().orElse(null);
    Decision decision = authorization.get().evaluate(caller, request.method(), request.path());
    if (decision.isDenied()) {
      AuditLog.record(decision, caller, service, request.method(), request.path());
      return CompletableFuture.completedFuture(MeshResponse.builder().status(403)
          .header("content-type", "application/json").body(decision.denialJson()).build());
    }
    long timeoutMillis = timeoutMillis(request);
    if (timeoutMillis == 0) {
      return CompletableFuture.completedFuture(error(504, "deadline exceeded before the request was handled"));
    }
    CompletableFuture<MeshResponse> answer;
    // The caller's deadline bounds the calls the handler makes (and their callbacks).
    CallScope scope = timeoutMillis > 0 ? CallScope.withDeadline(ticker, TimeUnit.MILLISECONDS.toNanos(timeoutMillis))
        : null;
    try (CallScope.Restore restore = scope != null ? scope.enter() : null) {
      answer = handler.handle(request);
    } catch (RuntimeException | Error e) {
      log.error("{}: handler threw on {}", service, request, e);
      return CompletableFuture.completedFuture(error(500, "internal error"));
    }
    if (answer == null) {
      log.error("{}: handler returned no future for {}", service, request);
      return CompletableFuture.completedFuture(error(500, "internal error"));
    }
    CompletableFuture<MeshResponse> safe = answer.handle((response, failure) -> {
      if (failure != null) {
        log.error("{}: handler failed on {}", service, request, Futures.unwrap(failure));
        return error(500, "internal error");
      }
      if (response == null) {
        log.error("{}: handler completed {} with no response", service, request);
        return error(500, "internal error");
      }
      return response;
    });
    if (timeoutMillis > 0 && !safe.isDone()) {
      Scheduler.Cancellable timer = scheduler.schedule(
          () -> safe.complete(error(504, "deadline exceeded while the request was handled")),
          timeoutMillis, TimeUnit.MILLISECONDS);
      safe.whenComplete((response, failure) -> timer.cancel());
    }
    return safe;
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

  private MeshResponse error(int status, String message) {
    return MeshResponse.builder().status(status).header("content-type", "application/json")
        .body("{\"error\":\"" + message + "\",\"service\":\"" + service + "\"}").build();
  }
}
