package io.meshwork.tracing;

/**
 * One span the mesh made: a call, one attempt of it, or an inbound request. The mesh sets
 * OpenTelemetry's HTTP attributes and adds events (a retry, the instance picked) only when
 * {@link #isRecording()}, so a span nobody exports costs nothing beyond its ids. Ended exactly once.
 */
public interface MeshSpan {

  /** The span's ids: what the mesh propagates in {@code traceparent} and puts in the MDC. */
  TraceContext context();

  /** Whether attributes and events are kept; false for a span that is only propagated. */
  default boolean isRecording() {
    return false;
  }

  /** Sets a string attribute, such as {@code http.request.method}. */
  default void attribute(String key, String value) {}

  /** Sets a number attribute, such as {@code http.response.status_code}. */
  default void attribute(String key, long value) {}

  /** Adds an event named {@code name} with one attribute, such as a retry and its reason. */
  default void event(String name, String key, String value) {}

  /**
   * Marks the span failed: {@code errorType} is OpenTelemetry's {@code error.type} (an exception class
   * or a status code), {@code cause} the failure, null when a status said it.
   */
  default void error(String errorType, Throwable cause) {}

  /** Ends the span. */
  void end();
}
