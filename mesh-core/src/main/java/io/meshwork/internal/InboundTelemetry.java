package io.meshwork.internal;

import io.meshwork.InboundEvent;
import io.meshwork.MeshListener;
import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import io.meshwork.internal.telemetry.AccessEntry;
import io.meshwork.internal.telemetry.AccessLog;
import io.meshwork.internal.telemetry.MeshTelemetry;
import io.meshwork.internal.telemetry.Methods;
import io.meshwork.internal.telemetry.ResponseFlag;
import io.meshwork.internal.telemetry.ServerInstruments;
import io.meshwork.security.WorkloadIdentity;
import io.meshwork.time.Ticker;
import io.meshwork.tracing.MeshSpan;
import io.meshwork.tracing.MeshTracer;
import io.meshwork.tracing.SpanKind;
import io.meshwork.tracing.TraceContext;
import java.time.Duration;
import io.meshwork.transport.Admission;
import io.meshwork.transport.InboundHandler;
import java.util.concurrent.CompletableFuture;

/**
 * The telemetry of inbound requests, around the inbound pipeline: records requests refused on their
 * head at once; for the others continues the caller's trace (a
 * missing or malformed {@code traceparent} starts a new one, never fails the request), runs the
 * pipeline in a scope carrying the server span, so the handler's calls are its children and its log
 * lines carry the trace id, and when the answer is ready records the duration, the caller's counters,
 * the listener event and the access log line. The pipeline tells of a denial with {@link #denied}.
 */
final class InboundTelemetry implements InboundHandler {

  /** The denial reason of the authorization policy's 403. */
  static final String AUTHORIZATION = "authorization";
  /** The denial reason of a rate limit's 429. */
  static final String RATE_LIMIT = "rate_limit";

  /** The scope the checks of a request's head run in, one per thread, used again for each request. */
  private static final ThreadLocal<CallScope> ADMITTING =
      ThreadLocal.withInitial(() -> CallScope.withTrace(null, new Exchange()));

  private final String service;
  private final InboundHandler pipeline;
  private final ServerInstruments metrics;
  private final MeshTelemetry telemetry;
  private final MeshListener listener;
  private final Ticker ticker;

  InboundTelemetry(String service, InboundHandler pipeline, MeshTelemetry telemetry, MeshListener listener,
      Ticker ticker) {
    this.service = service;
    this.pipeline = pipeline;
    this.metrics = telemetry.server();
    this.telemetry = telemetry;
    this.listener = listener;
    this.ticker = ticker;
  }

  /**
   * Tells the telemetry of the request being handled on this thread that the mesh refused it for
   * {@code reason} ({@link #AUTHORIZATION}, {@link #RATE_LIMIT}). Called by the inbound pipeline where
   * it refuses; does nothing outside a request.
   */
  static void denied(String reason) {
    CallScope scope = CallScope.current();
    if (scope != null && scope.exchange != null) {
      scope.exchange.denial = reason;
    }
  }

  /**
   * The pipeline's checks of the request head. A request refused there (400, 403, 429, 504) is
   * recorded at once, since it never reaches {@link #handle}.
   */
  @Override
  public Admission admit(MeshRequest head) {
    // The checks of the head run to their end on this thread and call nobody: the thread's scope
    // and exchange are used again for every request, so an admitted request allocates nothing here.
    CallScope scope = ADMITTING.get();
    Exchange exchange = scope.exchange;
    exchange.denial = null;
    long start = ticker.nanoTime();
    Admission admission;
    CallScope previous = CallScope.swap(scope);
    try {
      admission = pipeline.admit(head);
    } finally {
      CallScope.swap(previous);
    }
    if (!admission.isAdmitted()) {
      ended(head, false, exchange.denial, startSpan(head), start, admission.answer(), null);
    }
    return admission;
  }

  private MeshSpan startSpan(MeshRequest request) {
    MeshTracer tracer = telemetry.tracer();
    if (tracer == null) {
      return null;
    }
    TraceContext parent = TraceContext.parse(request.headers());
    MeshSpan span = tracer.start(SpanKind.SERVER, request.method(), parent, parent != null);
    if (span.isRecording()) {
      span.attribute("http.request.method", request.method());
      span.attribute("url.path", request.path());
      span.attribute("meshwork.service", service);
    }
    return span;
  }

  @Override
  public CompletableFuture<MeshResponse> handle(MeshRequest request) {
    long start = ticker.nanoTime();
    MeshSpan span = startSpan(request);
    if (metrics != null) {
      metrics.inFlight().add(1);
    }
    CompletableFuture<MeshResponse> answer;
    // The mesh refuses on the head only (admit): past it, nothing tells of a denial.
    try (CallScope.Restore restore = CallScope.withTrace(span == null ? null : span.context(), null).enter()) {
      answer = pipeline.handle(request);
    } catch (RuntimeException e) {
      answer = CompletableFuture.failedFuture(e); // the pipeline answers 500 itself; never reached in practice
    }
    MeshSpan served = span;
    return answer.whenComplete((response, failure) -> ended(request, true, null, served, start, response, failure));
  }

  /**
   * Records a request's end: {@code handled} when it reached the handler (and counts in flight),
   * {@code meshDenial} the reason the mesh refused it on its head, if it did.
   */
  private void ended(MeshRequest request, boolean handled, String meshDenial, MeshSpan span, long start,
      MeshResponse response, Throwable failure) {
    long latency = ticker.nanoTime() - start;
    int status = response == null ? 500 : response.status();
    String denial = meshDenial != null ? meshDenial : status == 429 ? RATE_LIMIT : null;
    WorkloadIdentity caller = request.peerIdentity().orElse(null);
    if (metrics != null) {
      if (handled) {
        metrics.inFlight().add(-1);
      }
      metrics.duration(Methods.index(request.method()), status).record(latency);
      metrics.request(caller);
      if (denial != null) {
        metrics.denied(caller, denial);
      }
    }
    if (span != null) {
      if (span.isRecording()) {
        span.attribute("http.response.status_code", status);
        if (status >= 500) {
          span.error(Integer.toString(status), failure);
        }
        if (caller != null) {
          span.attribute("meshwork.caller", caller.spiffeId());
        }
      }
      span.end();
    }
    if (listener != null) {
      Listeners.inbound(listener, new InboundEvent(service, request, caller, status, Duration.ofNanos(latency),
          denial));
    }
    ResponseFlag flag = AUTHORIZATION.equals(denial) ? ResponseFlag.UAEX
        : RATE_LIMIT.equals(denial) ? ResponseFlag.RL : ResponseFlag.NONE;
    AccessLog accessLog = telemetry.accessLog();
    if (accessLog.wants(failure != null || status >= 500 || flag != ResponseFlag.NONE)) {
      accessLog.write(new AccessEntry(false, System.currentTimeMillis() - latency / 1_000_000, request.method(),
          request.path(), status, flag, request.bodyLength(), response == null ? 0 : response.bodyLength(), latency,
          1, service, null, null, span == null ? null : span.context().traceId(),
          caller == null ? null : caller.spiffeId()));
    }
  }

  /** What the pipeline tells of one request while it checks its head. */
  static final class Exchange {
    /** Why the mesh refused the request, or null; written and read on the checking thread. */
    String denial;
  }
}
