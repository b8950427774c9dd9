package io.meshwork.internal;

import io.meshwork.time.Ticker;
import io.meshwork.tracing.TraceContext;
import org.slf4j.MDC;
import org.slf4j.helpers.NOPMDCAdapter;

/**
 * The inbound request a thread is handling, as gRPC's and Finagle's contexts: its deadline bounds
 * the calls the handler makes, so the remaining time travels down a chain of services, and its
 * trace context is the parent of their spans. Set on the thread while the handler runs, and again
 * while the futures of the calls it made complete, so their callbacks see it too. While a scope with
 * a trace is current, the SLF4J MDC holds {@code trace_id} and {@code span_id}; they are put back as
 * they were when it ends.
 */
final class CallScope {

  /** The MDC keys OpenTelemetry's log instrumentation uses too. */
  static final String TRACE_ID = "trace_id";
  static final String SPAN_ID = "span_id";

  private static final ThreadLocal<CallScope> CURRENT = new ThreadLocal<>();
  /** Whether the logging backend keeps an MDC at all (slf4j-simple and slf4j-nop do not). */
  private static final boolean MDC_KEPT = !(MDC.getMDCAdapter() instanceof NOPMDCAdapter);

  private final Ticker ticker;
  private final long deadlineNanos;
  private final boolean hasDeadline;
  /** The span the calls made in this scope are children of; null when tracing is off. */
  final TraceContext trace;
  /** The inbound request's telemetry, told of a denial by the pipeline; null outside a request. */
  final InboundTelemetry.Exchange exchange;

  private CallScope(Ticker ticker, long deadlineNanos, boolean hasDeadline, TraceContext trace,
      InboundTelemetry.Exchange exchange) {
    this.ticker = ticker;
    this.deadlineNanos = deadlineNanos;
    this.hasDeadline = hasDeadline;
    this.trace = trace;
    this.exchange = exchange;
  }

  /**
   * A scope whose deadline is {@code remainingNanos} from now on {@code ticker}; it keeps the trace
   * of the scope current on this thread, if any.
   */
  static CallScope withDeadline(Ticker ticker, long remainingNanos) {
    CallScope outer = CURRENT.get();
    return new CallScope(ticker, ticker.nanoTime() + remainingNanos, true, outer == null ? null : outer.trace,
        outer == null ? null : outer.exchange);
  }

  /** A scope with no deadline, whose calls continue {@code trace} (may be null). */
  static CallScope withTrace(TraceContext trace, InboundTelemetry.Exchange exchange) {
    return new CallScope(null, 0, false, trace, exchange);
  }

  /**
   * Makes {@code next} current on the calling thread, without the MDC (for scopes with no trace), and
   * returns the scope that was current, which the caller puts back the same way. Allocates nothing.
   */
  static CallScope swap(CallScope next) {
    CallScope previous = CURRENT.get();
    CURRENT.set(next);
    return previous;
  }

  /** The scope of the calling thread, or null. */
  static CallScope current() {
    return CURRENT.get();
  }

  /** Whether an inbound deadline bounds the calls made in this scope. */
  boolean hasDeadline() {
    return hasDeadline;
  }

  /** The time left before the inbound deadline; zero or less once it has passed. */
  long remainingNanos() {
    return hasDeadline ? deadlineNanos - ticker.nanoTime() : Long.MAX_VALUE;
  }

  /** Runs {@code task} with this scope current on this thread, then restores what was there. */
  void run(Runnable task) {
    if (trace == null || !MDC_KEPT) {
      // Once per call: no Restore to allocate, and the thread's entry is kept (set to null, never
      // removed), so the next call does not allocate another.
      CallScope previous = CURRENT.get();
      CURRENT.set(this);
      try {
        task.run();
      } finally {
        CURRENT.set(previous);
      }
      return;
    }
    try (Restore restore = enter()) {
      task.run();
    }
  }

  /** Makes this scope current on the calling thread; the result restores what was there. */
  Restore enter() {
    CallScope previous = CURRENT.get();
    CURRENT.set(this);
    if (trace == null || !MDC_KEPT) {
      return () -> CURRENT.set(previous);
    }
    String traceId = MDC.get(TRACE_ID);
    String spanId = MDC.get(SPAN_ID);
    MDC.put(TRACE_ID, trace.traceId());
    MDC.put(SPAN_ID, trace.spanId());
    return () -> {
      restore(TRACE_ID, traceId);
      restore(SPAN_ID, spanId);
      CURRENT.set(previous);
    };
  }

  private static void restore(String key, String value) {
    if (value == null) {
      MDC.remove(key);
    } else {
      MDC.put(key, value);
    }
  }

  /** Puts back the scope that was current before {@link #enter()}. */
  @FunctionalInterface
  interface Restore extends AutoCloseable {
    @Override
    void close();
  }
}
