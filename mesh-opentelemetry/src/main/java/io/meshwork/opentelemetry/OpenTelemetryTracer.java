package io.meshwork.opentelemetry;

import io.meshwork.tracing.MeshSpan;
import io.meshwork.tracing.MeshTracer;
import io.meshwork.tracing.SpanKind;
import io.meshwork.tracing.TraceContext;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.util.Objects;

/**
 * The mesh's spans as OpenTelemetry spans, exported by whatever SDK and exporter the application
 * set up: each call, each attempt and each inbound request becomes a span with OpenTelemetry's HTTP
 * attributes, its retries and picked instances as events. The ids on the wire are the spans' own,
 * so a callee's span is the child of the caller's attempt span in any backend.
 *
 * <pre>{@code
 * Mesh mesh = Mesh.builder().service("orders")
 *     .tracer(OpenTelemetryTracer.create(GlobalOpenTelemetry.get()))
 *     .build();
 * }</pre>
 */
public final class OpenTelemetryTracer implements MeshTracer {

  /** The instrumentation scope the spans are made under. */
  public static final String SCOPE = "io.meshwork";

  private final Tracer tracer;

  private OpenTelemetryTracer(Tracer tracer) {
    this.tracer = tracer;
  }

  /** Spans made with {@code openTelemetry}'s tracer provider, under the scope {@value #SCOPE}. */
  public static OpenTelemetryTracer create(OpenTelemetry openTelemetry) {
    Objects.requireNonNull(openTelemetry, "openTelemetry");
    return new OpenTelemetryTracer(openTelemetry.getTracer(SCOPE));
  }

  /** Spans made with {@code tracer}. */
  public static OpenTelemetryTracer of(Tracer tracer) {
    return new OpenTelemetryTracer(Objects.requireNonNull(tracer, "tracer"));
  }

  @Override
  public MeshSpan start(SpanKind kind, String name, TraceContext parent, boolean remoteParent) {
    SpanBuilder builder = tracer.spanBuilder(name).setSpanKind(kind(kind));
    if (parent == null) {
      builder.setNoParent();
    } else {
      builder.setParent(Context.root().with(Span.wrap(spanContext(parent, remoteParent))));
    }
    Span span = builder.startSpan();
    return new OpenTelemetrySpan(span, traceContext(span.getSpanContext(), parent));
  }

  private static io.opentelemetry.api.trace.SpanKind kind(SpanKind kind) {
    switch (kind) {
      case SERVER:
        return io.opentelemetry.api.trace.SpanKind.SERVER;
      case CLIENT:
        return io.opentelemetry.api.trace.SpanKind.CLIENT;
      default:
        return io.opentelemetry.api.trace.SpanKind.INTERNAL;
    }
  }

  /** The OpenTelemetry form of a mesh parent, remote when it came from another process. */
  static SpanContext spanContext(TraceContext parent, boolean remote) {
    String traceId = parent.traceId();
    String spanId = parent.spanId();
    TraceFlags flags = parent.sampled() ? TraceFlags.getSampled() : TraceFlags.getDefault();
    TraceState state = TraceStates.parse(parent.traceState());
    return remote ? SpanContext.createFromRemoteParent(traceId, spanId, flags, state)
        : SpanContext.create(traceId, spanId, flags, state);
  }

  /**
   * The mesh form of the span's context. A span the SDK does not record still has valid ids (the
   * parent's trace, a new span id) unless no SDK is installed: then the API's no-op span has none,
   * and the mesh falls back to the parent's context (or a new W3C one) so propagation still works.
   */
  static TraceContext traceContext(SpanContext context, TraceContext parent) {
    if (!context.isValid()) {
      return MeshTracer.w3c().start(SpanKind.INTERNAL, "", parent, parent != null).context();
    }
    String traceId = context.getTraceId();
    String state = TraceStates.format(context.getTraceState());
    return TraceContext.of(Long.parseUnsignedLong(traceId, 0, 16, 16), Long.parseUnsignedLong(traceId, 16, 32, 16),
        Long.parseUnsignedLong(context.getSpanId(), 16), context.isSampled(), state);
  }
}
