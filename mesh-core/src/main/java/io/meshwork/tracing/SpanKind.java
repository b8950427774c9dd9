package io.meshwork.tracing;

/** The role of a span, as OpenTelemetry names it. */
public enum SpanKind {
  /** The inbound request a mesh's server handles. */
  SERVER,
  /** One attempt of a call: one HTTP request on the wire. */
  CLIENT,
  /** A call as the application made it, around its attempts. */
  INTERNAL
}
