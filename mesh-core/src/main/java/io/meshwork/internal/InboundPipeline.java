package io.meshwork.internal;

import io.meshwork.MeshHandler;
import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import io.meshwork.controlplane.InboundGate;
import io.meshwork.security.AuditLog;
import io.meshwork.config.MeshConfig;
import io.meshwork.security.Decision;
import io.meshwork.security.PathNormalizer;
import io.meshwork.security.WorkloadIdentity;
import io.meshwork.time.Scheduler;
import io.meshwork.time.Ticker;
import io.meshwork.transport.Admission;
import io.meshwork.transport.ErrorResponses;
import io.meshwork.transport.InboundHandler;
import io.meshwork.transport.TransportHeaders;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inbound sidecar in front of the application's handler. On the request head, before any body
 * is read: normalizes the path once (400 when it is refused), so the rules and the handler see the
 * same form; applies the authorization policy in force (with its default action) to the caller's verified identity (403 with
 * a JSON reason and an audit line); applies the inbound rate limit in force (429 with
 * {@code Retry-After} and an audit line); refuses a request whose deadline has already passed (504).
 * Then hands the whole request to the handler inside the request's scope (so the calls it makes end
 * by its deadline), answering 504 once the caller's deadline passes, and 500 when the handler
 * throws, fails or returns nothing.
 */
final class InboundPipeline implements InboundHandler {

  private static final Logger log = LoggerFactory.getLogger(InboundPipeline.class);

  private final String service;
  private final InboundHandler application;
  private final Ticker ticker;
  private final Scheduler scheduler;
  private final Supplier<MeshConfig> config;
  private final Supplier<InboundRateLimiter> rateLimiter;
  private final InboundGate gate;

  InboundPipeline(String service, MeshHandler handler, Ticker ticker, Scheduler scheduler,
      Supplier<MeshConfig> config, Supplier<InboundRateLimiter> rateLimiter, InboundGate gate) {
    this.service = service;
    this.application = InboundHandler.guarded(service, InboundHandler.of(handler));
    this.ticker = ticker;
    this.scheduler = scheduler;
    this.config = config;
    this.rateLimiter = rateLimiter;
    this.gate = gate;
  }

  @Override
  public Admission admit(MeshRequest head) {
    String path;
    try {
      path = PathNormalizer.normalize(head.path());
    } catch (IllegalArgumentException e) {
      return Admission.refuse(ErrorResponses.of(400, service, e.getMessage()));
    }
    // The control plane's checks of the head (a JWT its security rules require) come before authorization.
    MeshResponse refused = gate.check(head);
    if (refused != null) {
      InboundTelemetry.denied(InboundTelemetry.AUTHORIZATION);
      return Admission.refuse(refused);
    }
    WorkloadIdentity caller = head.peerIdentity().orElse(null);
    MeshConfig current = config.get();
    Decision decision = current.authorization().evaluate(caller, head.method(), path, current.authorizationDefault());
    if (decision.isDenied()) {
      InboundTelemetry.denied(InboundTelemetry.AUTHORIZATION);
      AuditLog.record(decision, caller, service, head.method(), path);
      return Admission.refuse(ErrorResponses.of(403, service, "forbidden", decision.reason()));
    }
    InboundRateLimiter limiter = rateLimiter.get();
    if (limiter != null) {
      MeshResponse limited = limit(limiter, head, caller, path);
      if (limited != null) {
        return Admission.refuse(limited);
      }
    }
    if (timeoutMillis(head) == 0) {
      return Admission.refuse(ErrorResponses.of(504, service, "deadline exceeded before the request was handled"));
    }
    return Admission.admit(path == head.path() ? head : head.toBuilder().path(path).build());
  }

  /** The 429 of a limit that refuses the request, or null when every limit admits it. */
  private MeshResponse limit(InboundRateLimiter limiter, MeshRequest head, WorkloadIdentity caller, String path) {
    String key = caller != null ? caller.spiffeId() : host(head.remoteAddress().orElse("unknown"));
    InboundRateLimiter.Refusal refusal = new InboundRateLimiter.Refusal();
    long wait = limiter.admit(key, refusal);
    if (wait == 0) {
      return null;
    }
    InboundTelemetry.denied(InboundTelemetry.RATE_LIMIT);
    long seconds = Math.max(1, (wait + 999_999_999L) / 1_000_000_000L);
    AuditLog.rateLimited(key, service, head.method(), path, refusal.limit);
    return ErrorResponses.of(429, service, "rate limited", "inbound rate limit " + refusal.limit + " reached")
        .toBuilder().header("retry-after", Long.toString(seconds)).build();
  }

  /** The host of {@code host:port} (a plaintext caller's connections come from many ports). */
  private static String host(String address) {
    int colon = address.lastIndexOf(':');
    return colon > 0 && address.indexOf(']') < colon ? address.substring(0, colon) : address;
  }

  @Override
  public CompletableFuture<MeshResponse> handle(MeshRequest request) {
    long timeoutMillis = timeoutMillis(request);
    // The caller's deadline bounds the calls the handler makes (and their callbacks).
    CallScope scope = timeoutMillis > 0
        ? CallScope.withDeadline(ticker, TimeUnit.MILLISECONDS.toNanos(timeoutMillis)) : null;
    CompletableFuture<MeshResponse> answer;
    try (CallScope.Restore restore = scope != null ? scope.enter() : null) {
      answer = application.handle(request);
    }
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
