package io.meshwork.opentelemetry;

import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.TraceStateBuilder;

/** W3C {@code tracestate} text to OpenTelemetry's {@link TraceState} and back. */
final class TraceStates {

  private TraceStates() {}

  /** The entries of {@code text} ({@code key=value,...}); entries OpenTelemetry rejects are dropped. */
  static TraceState parse(String text) {
    if (text == null || text.isEmpty()) {
      return TraceState.getDefault();
    }
    TraceStateBuilder builder = TraceState.builder();
    String[] members = text.split(",");
    // The builder puts each new key first: add from the last so the first stays first.
    for (int i = members.length - 1; i >= 0; i--) {
      String member = members[i].trim();
      int equals = member.indexOf('=');
      if (equals > 0 && equals < member.length() - 1) {
        builder.put(member.substring(0, equals), member.substring(equals + 1));
      }
    }
    return builder.build();
  }

  /** {@code state} as {@code tracestate} text, or null when empty. */
  static String format(TraceState state) {
    if (state.isEmpty()) {
      return null;
    }
    StringBuilder text = new StringBuilder();
    state.forEach((key, value) -> text.append(text.length() == 0 ? "" : ",").append(key).append('=').append(value));
    return text.toString();
  }
}
