package io.meshwork.tracing;

/**
 * Makes the mesh's spans: the SPI between the mesh and a tracing library. The default,
 * {@link #w3c()}, only makes ids, so trace context is continued and propagated and logs carry it,
 * with nothing exported; {@code mesh-opentelemetry}'s {@code OpenTelemetryTracer} makes real
 * OpenTelemetry spans, exported by whatever SDK the application runs. Implementations are
 * thread-safe and never throw.
 */
public interface MeshTracer {

  /**
   * Starts a span of {@code kind} named {@code name}: a child of {@code parent} (which came from
   * another process when {@code remoteParent}), or the root of a new trace when {@code parent} is
   * null. The span's context keeps the parent's trace state.
   */
  MeshSpan start(SpanKind kind, String name, TraceContext parent, boolean remoteParent);

  /** The tracer that makes W3C ids and records nothing: propagation and log correlation only. */
  static MeshTracer w3c() {
    return W3cTracer.INSTANCE;
  }
}
