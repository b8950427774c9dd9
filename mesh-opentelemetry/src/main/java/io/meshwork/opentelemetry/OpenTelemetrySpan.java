package io.meshwork.opentelemetry;

import io.meshwork.tracing.MeshSpan;
import io.meshwork.tracing.TraceContext;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;

/** A mesh span backed by an OpenTelemetry span. */
final class OpenTelemetrySpan implements MeshSpan {

  private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  private final Span span;
  private final TraceContext context;

  OpenTelemetrySpan(Span span, TraceContext context) {
    this.span = span;
    this.context = context;
  }

  @Override
  public TraceContext context() {
    return context;
  }

  @Override
  public boolean isRecording() {
    return span.isRecording();
  }

  @Override
  public void attribute(String key, String value) {
    span.setAttribute(key, value);
  }

  @Override
  public void attribute(String key, long value) {
    span.setAttribute(key, value);
  }

  @Override
  public void event(String name, String key, String value) {
    span.addEvent(name, Attributes.of(AttributeKey.stringKey(key), value));
  }

  @Override
  public void error(String errorType, Throwable cause) {
    span.setAttribute(ERROR_TYPE, errorType);
    span.setStatus(StatusCode.ERROR, errorType);
    if (cause != null) {
      span.recordException(cause);
    }
  }

  @Override
  public void end() {
    span.end();
  }
}
