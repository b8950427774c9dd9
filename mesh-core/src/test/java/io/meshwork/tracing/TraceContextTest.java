package io.meshwork.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** W3C Trace Context: what is read from a {@code traceparent}, and what is refused as malformed. */
class TraceContextTest {

  private static final String VALID = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  @Test
  void readsTheIdsAndFlagsOfAValidHeaderAndWritesItBackTheSame() {
    TraceContext context = TraceContext.parse(VALID, List.of("congo=t61rcWkgMzE"));
    assertThat(context.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(context.spanId()).isEqualTo("00f067aa0ba902b7");
    assertThat(context.sampled()).isTrue();
    assertThat(context.traceState()).isEqualTo("congo=t61rcWkgMzE");
    assertThat(context.traceparent()).isEqualTo(VALID);
    assertThat(TraceContext.parse(VALID.substring(0, 53) + "00", List.of()).sampled()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0",    // too short
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-",  // version 00 with more
      "00-4bf92f3577b34da6a3ce929d0e0e473-600f067aa0ba902b7-01",   // dash misplaced
      "00-4bf92f3577b34da6a3ce929d0e0e47zz-00f067aa0ba902b7-01",   // bad hex in the trace id
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba9g2b7-01",   // bad hex in the span id
      "00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01",   // upper case
      "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",   // version ff
      "0x-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",   // bad hex in the version
      "00-00000000000000000000000000000000-00f067aa0ba902b7-01",   // all-zero trace id
      "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",   // all-zero span id
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0g",   // bad hex in the flags
      "",
      "garbage"})
  void malformedHeadersAreRefused(String header) {
    assertThat(TraceContext.parse(header, List.of())).isNull();
  }

  @Test
  void aLaterVersionMayAppendFieldsAfterADash() {
    TraceContext context = TraceContext.parse("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what", List.of());
    assertThat(context).isNotNull();
    assertThat(context.traceparent()).isEqualTo(VALID); // sent on as version 00, the one this mesh speaks
    assertThat(TraceContext.parse("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01what", List.of())).isNull();
  }

  @Test
  void traceStateValuesAreJoinedAndAnOverlongOrBrokenOneIsDroppedKeepingTheIds() {
    assertThat(TraceContext.parse(VALID, List.of("a=1", "b=2")).traceState()).isEqualTo("a=1,b=2");
    TraceContext overlong = TraceContext.parse(VALID, List.of("a=" + "x".repeat(600)));
    assertThat(overlong.traceState()).isNull();
    assertThat(overlong.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(TraceContext.parse(VALID, List.of("a=\u0001b")).traceState()).isNull();
  }

  @Test
  void aChildKeepsTheTraceAndAZeroIdIsRefused() {
    TraceContext parent = TraceContext.parse(VALID, List.of("k=v"));
    TraceContext child = parent.withSpanId(0x1234L);
    assertThat(child.traceId()).isEqualTo(parent.traceId());
    assertThat(child.spanId()).isEqualTo("0000000000001234");
    assertThat(child.traceState()).isEqualTo("k=v");
    assertThatThrownBy(() -> parent.withSpanId(0)).hasMessageContaining("expected: not all zero");
    assertThatThrownBy(() -> TraceContext.of(0, 0, 1, true, null)).hasMessageContaining("expected: not all zero");
  }

  @Test
  void theW3cTracerStartsNewTracesAndChildSpansWithFreshIds() {
    MeshSpan root = MeshTracer.w3c().start(SpanKind.SERVER, "GET", null, false);
    MeshSpan child = MeshTracer.w3c().start(SpanKind.CLIENT, "GET", root.context(), false);
    assertThat(root.context().sampled()).isTrue();
    assertThat(child.context().traceId()).isEqualTo(root.context().traceId());
    assertThat(child.context().spanId()).isNotEqualTo(root.context().spanId());
    assertThat(root.isRecording()).isFalse();
  }
}
