package io.meshwork;

import io.meshwork.tracing.MeshSpan;
import io.meshwork.tracing.MeshTracer;
import io.meshwork.tracing.SpanKind;
import io.meshwork.tracing.TraceContext;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A tracer that keeps every span it made, with its parent, attributes and events: the span SPI as a
 * tracing library would implement it, so tests can check the tree a real exporter would get.
 */
final class RecordingTracer implements MeshTracer {

  final String mesh;
  final List<Recorded> spans;

  /** A tracer of {@code mesh} adding its spans to {@code spans} (shared by the meshes of a test). */
  RecordingTracer(String mesh, List<Recorded> spans) {
    this.mesh = mesh;
    this.spans = spans;
  }

  static List<Recorded> newLog() {
    return new CopyOnWriteArrayList<>();
  }

  @Override
  public MeshSpan start(SpanKind kind, String name, TraceContext parent, boolean remoteParent) {
    MeshSpan ids = MeshTracer.w3c().start(kind, name, parent, remoteParent);
    Recorded span = new Recorded(mesh, kind, name, parent, remoteParent, ids.context());
    spans.add(span);
    return span;
  }

  /** One span as the tracer saw it. */
  static final class Recorded implements MeshSpan {
    final String mesh;
    final SpanKind kind;
    final String name;
    final TraceContext parent;
    final boolean remoteParent;
    final TraceContext context;
    final Map<String, Object> attributes = new ConcurrentHashMap<>();
    final List<String> events = new CopyOnWriteArrayList<>();
    volatile String errorType;
    volatile boolean ended;

    Recorded(String mesh, SpanKind kind, String name, TraceContext parent, boolean remoteParent,
        TraceContext context) {
      this.mesh = mesh;
      this.kind = kind;
      this.name = name;
      this.parent = parent;
      this.remoteParent = remoteParent;
      this.context = context;
    }

    @Override
    public TraceContext context() {
      return context;
    }

    @Override
    public boolean isRecording() {
      return true;
    }

    @Override
    public void attribute(String key, String value) {
      attributes.put(key, value);
    }

    @Override
    public void attribute(String key, long value) {
      attributes.put(key, value);
    }

    @Override
    public void event(String name, String key, String value) {
      events.add(name + " " + key + "=" + value);
    }

    @Override
    public void error(String type, Throwable cause) {
      errorType = type;
    }

    @Override
    public void end() {
      ended = true;
    }

    String parentSpanId() {
      return parent == null ? null : parent.spanId();
    }

    @Override
    public String toString() {
      return mesh + " " + kind + " " + name + " " + context + " <- " + (parent == null ? "root" : parent.spanId());
    }
  }
}
