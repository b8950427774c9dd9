package io.meshwork.internal;

import io.meshwork.CallEvent;
import io.meshwork.MeshException;
import io.meshwork.MeshListener;
import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import io.meshwork.Rejection;
import io.meshwork.internal.telemetry.AccessEntry;
import io.meshwork.internal.telemetry.AccessLog;
import io.meshwork.internal.telemetry.ClientInstruments;
import io.meshwork.internal.telemetry.ErrorTypes;
import io.meshwork.internal.telemetry.MeshTelemetry;
import io.meshwork.internal.telemetry.Methods;
import io.meshwork.internal.telemetry.ResponseFlag;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.time.Ticker;
import io.meshwork.tracing.MeshSpan;
import io.meshwork.tracing.MeshTracer;
import io.meshwork.tracing.SpanKind;
import io.meshwork.tracing.TraceContext;
import java.time.Duration;

/**
 * What the telemetry of one destination does at each point of a call: the call's span, metrics,
 * listener event and access log line when it ends; each attempt's span and metrics; retries and
 * budget refusals. {@link #NONE} does nothing, for chains without telemetry (mirrors).
 */
final class ClientTelemetry {

  static final ClientTelemetry NONE = new ClientTelemetry(null, null, null, null, null);

  final String service;
  private final MeshTelemetry telemetry;
  private final ClientInstruments metrics;
  private final MeshTracer tracer;
  private final AccessLog accessLog;
  private final MeshListener listener;
  private final Ticker ticker;
  private final String localIdentity;
  /** The call spans' names by method index ("GET user-service"), made once. */
  private final String[] spanNames = new String[Methods.COUNT];

  ClientTelemetry(String service, MeshTelemetry telemetry, MeshListener listener, Ticker ticker,
      String localIdentity) {
    this.service = service;
    this.telemetry = telemetry;
    this.metrics = telemetry == null ? null : telemetry.client(service);
    this.tracer = telemetry == null ? null : telemetry.tracer();
    this.accessLog = telemetry == null ? null : telemetry.accessLog();
    this.listener = listener;
    this.ticker = ticker;
    this.localIdentity = localIdentity;
    for (int i = 0; i < spanNames.length; i++) {
      spanNames[i] = Methods.name(i) + " " + service;
    }
  }

  /** Now, on the mesh's ticker. */
  long now() {
    return ticker.nanoTime();
  }

  /** Whether calls have anything to record: without, the telemetry stages stay out of the chain. */
  boolean active() {
    return metrics != null || tracer != null || listener != null || (accessLog != null && accessLog.enabled());
  }

  /** Exposes the destination's in-flight and pending attempts as gauges, read when scraped. */
  void limitGauges(ConcurrencyLimitStage limits) {
    if (metrics != null) {
      metrics.limitGauges(limits::inFlight, limits::pending);
    }
  }

  /** Starts the call's span: a child of the call's options, of the inbound request, or of the request's header. */
  void callStarted(MeshRequest request, CallContext context) {
    if (tracer == null) {
      return;
    }
    TraceContext parent = context.options.traceContext();
    boolean remote = parent != null;
    if (parent == null && context.scope != null) {
      parent = context.scope.trace;
    }
    if (parent == null) {
      parent = TraceContext.parse(request.headers());
      remote = parent != null;
    }
    int method = Methods.index(request.method());
    MeshSpan span = tracer.start(SpanKind.INTERNAL, method == Methods.COUNT - 1 ? request.method() + " " + service
        : spanNames[method], parent, remote);
    if (span.isRecording()) {
      span.attribute("http.request.method", request.method());
      span.attribute("server.address", service);
      span.attribute("url.path", request.path());
    }
    context.span = span;
  }

  /** Records the end of a call: metrics, span, listener, access log. */
  void callEnded(MeshRequest request, CallContext context, MeshResponse response, Throwable failure) {
    long latency = ticker.nanoTime() - context.startNanos;
    Throwable cause = failure == null ? null : Futures.unwrap(failure);
    ResponseFlag flag = context.retriesExhausted != null ? ResponseFlag.URX
        : response != null ? ResponseFlag.NONE : ResponseFlag.of(cause);
    int status = response == null ? 0 : response.status();
    Rejection rejection = cause == null ? null : Rejection.of(cause);
    String route = context.routeName();
    if (metrics != null) {
      ClientInstruments.CallSeries series = metrics.call(route, Methods.index(request.method()), flag, status);
      series.duration().record(latency);
      if (rejection != null) {
        metrics.rejected(rejection.label());
      }
    }
    MeshSpan span = context.span;
    if (span != null) {
      end(span, response, cause);
    }
    int attempts = response != null ? response.attempts() : context.attemptsSent();
    if (listener != null) {
      Listeners.call(listener, new CallEvent(service, route, request, response, cause, attempts,
          context.lastInstance(), Duration.ofNanos(latency), flag.code()));
      if (rejection != null && cause instanceof MeshException refusal) {
        Listeners.rejected(listener, service, rejection, refusal);
      }
    }
    if (accessLog != null && accessLog.wants(cause != null || status >= 500 || flag != ResponseFlag.NONE)) {
      ServiceInstance instance = context.lastInstance();
      accessLog.write(new AccessEntry(true, System.currentTimeMillis() - latency / 1_000_000, request.method(),
          request.path(), status, flag, response == null ? 0 : response.bodyLength(), request.bodyLength(),
          latency, attempts, service, instance == null ? null : instance.address(), route,
          span == null ? null : span.context().traceId(), localIdentity));
    }
  }

  /** Starts an attempt's span, a child of the call's; null when tracing is off. */
  MeshSpan attemptStarted(MeshRequest request, CallContext context, ServiceInstance instance, int number) {
    MeshSpan call = context.span;
    if (tracer == null || call == null) {
      return null;
    }
    MeshSpan span = tracer.start(SpanKind.CLIENT, request.method(), call.context(), false);
    if (span.isRecording()) {
      span.attribute("http.request.method", request.method());
      span.attribute("server.address", instance.service());
      span.attribute("server.port", instance.port());
      span.attribute("url.path", request.path());
      if (number > 1) {
        span.attribute("http.request.resend_count", number - 1);
      }
    }
    if (call.isRecording()) {
      call.event("instance", "meshwork.instance", instance.address());
    }
    return span;
  }

  /** Records the end of an attempt to {@code instance}. */
  void attemptEnded(MeshRequest request, CallContext context, ServiceInstance instance, MeshSpan span,
      long startNanos, MeshResponse response, Throwable failure) {
    Throwable cause = failure == null ? null : Futures.unwrap(failure);
    if (metrics != null) {
      long latency = ticker.nanoTime() - startNanos;
      Target target = context.route().target();
      String destination = target.destination.service;
      // Most routes stay in the called service: its instruments are at hand, with no map to look in.
      ClientInstruments series = destination.equals(service) ? metrics : telemetry.client(destination);
      int status = response == null ? 0 : response.status();
      series.attempt(instance.port(), Methods.index(request.method()), status,
          cause == null ? 0 : ErrorTypes.index(cause)).record(latency);
      boolean failed = response == null || target.destination.policy.failureStatuses().contains(status);
      series.attemptOutcome(!failed).increment();
    }
    if (span != null) {
      end(span, response, cause);
    }
  }

  /** A retry is about to be made for {@code reason}. */
  void retried(CallContext context, String reason, int nextAttempt) {
    if (metrics != null) {
      metrics.retry(reason.startsWith("status ") ? reason.replace(' ', '_') : reason.toLowerCase(java.util.Locale.ROOT));
    }
    MeshSpan span = context.span;
    if (span != null && span.isRecording()) {
      span.event("retry", "meshwork.retry.reason", reason + " (attempt " + nextAttempt + " next)");
    }
  }

  /** The retry budget refused a retry. */
  void budgetExhausted(CallContext context) {
    if (metrics != null) {
      metrics.budgetExhausted();
    }
    Listeners.budgetExhausted(listener, service);
    MeshSpan span = context.span;
    if (span != null && span.isRecording()) {
      span.event("retry budget exhausted", "server.address", service);
    }
  }

  private static void end(MeshSpan span, MeshResponse response, Throwable cause) {
    if (span.isRecording()) {
      if (response != null) {
        span.attribute("http.response.status_code", response.status());
        if (response.isServerError()) {
          span.error(Integer.toString(response.status()), null);
        }
      } else if (cause != null) {
        span.error(cause.getClass().getName(), cause);
      }
    }
    span.end();
  }
}
