package io.meshwork.internal;

import io.meshwork.MeshHeaders;
import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.tracing.MeshSpan;
import io.meshwork.tracing.TraceContext;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The telemetry of one attempt, right outside the transport: its span (a child of the call's, with a
 * span id of its own that travels in {@code traceparent}, so the callee's span is its child), and its
 * duration by the instance's port, status or error type. Attempts refused before the wire (a full
 * queue, open circuits) never reach it: they are counted as the call's rejections.
 */
final class AttemptTelemetryStage implements Stage {

  private final ClientTelemetry telemetry;

  AttemptTelemetryStage(ClientTelemetry telemetry) {
    this.telemetry = telemetry;
  }

  @Override
  public String name() {
    return "attempt telemetry";
  }

  @Override
  public Set<ContextValue> requires() {
    return EnumSet.of(ContextValue.ROUTE, ContextValue.ATTEMPT, ContextValue.INSTANCE);
  }

  @Override
  public MeshClient wrap(MeshClient next) {
    return (request, context) -> {
      Attempt attempt = context.attempt();
      ServiceInstance instance = attempt.instance();
      MeshSpan span = telemetry.attemptStarted(request, context, instance, attempt.number);
      MeshRequest sent = span == null ? request : withTraceHeaders(request, span.context());
      long start = telemetry.now();
      CompletableFuture<MeshResponse> exchange;
      try {
        exchange = next.execute(sent, context);
      } catch (RuntimeException e) {
        exchange = CompletableFuture.failedFuture(e);
      }
      return exchange.whenComplete((response, failure) ->
          telemetry.attemptEnded(request, context, instance, span, start, response, failure));
    };
  }

  /** The request carrying the attempt's {@code traceparent} and the trace's {@code tracestate}. */
  private static MeshRequest withTraceHeaders(MeshRequest request, TraceContext trace) {
    MeshHeaders headers = request.headers().with(TraceContext.TRACEPARENT, trace.traceparent());
    headers = trace.traceState() != null ? headers.with(TraceContext.TRACESTATE, trace.traceState())
        : headers.without(TraceContext.TRACESTATE);
    return request.toBuilder().headers(headers).build();
  }
}
