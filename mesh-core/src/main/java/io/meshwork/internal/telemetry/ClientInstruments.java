package io.meshwork.internal.telemetry;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntSupplier;

/**
 * The series of calls to one destination service, found without allocating: a route's call series
 * by method, response flag and status; an instance port's attempt series by method and status or
 * error type. Counters that change rarely (retries, rejections) are found by name.
 */
public final class ClientInstruments {

  /** Columns of a call row: each status, then "no response". */
  private static final int CALL_COLUMNS = Statuses.COUNT + 1;
  /** Columns of an attempt row: each status, then each error type. */
  private static final int ATTEMPT_COLUMNS = Statuses.COUNT + ErrorTypes.MAX;
  private static final String[] OUTCOMES = {"success", "error"};
  private static final ResponseFlag[] FLAGS = ResponseFlag.values();

  private final Instruments instruments;
  private final String service;
  private final Map<String, SeriesTable<CallSeries>> routes = new ConcurrentHashMap<>();
  /** The call counters by route and outcome: totals of the duration histograms, so a call costs no extra add. */
  private final Map<String, CallsTotal> totals = new ConcurrentHashMap<>();
  private volatile PortTable[] ports = new PortTable[0];
  private final CounterSeries attemptSuccesses;
  private final CounterSeries attemptFailures;
  private final Map<String, CounterSeries> retries = new ConcurrentHashMap<>();
  private final Map<String, CounterSeries> rejections = new ConcurrentHashMap<>();
  private final CounterSeries budgetExhausted;

  ClientInstruments(Instruments instruments, String service) {
    this.instruments = instruments;
    this.service = service;
    this.attemptSuccesses = instruments.attempts.counter(service, "success");
    this.attemptFailures = instruments.attempts.counter(service, "failure");
    this.budgetExhausted = instruments.budgetExhausted.counter(service);
  }

  /** The series of a call on {@code route} with {@code method}, {@code flag} and {@code status} (0: none). */
  public CallSeries call(String route, int method, ResponseFlag flag, int status) {
    SeriesTable<CallSeries> table = routes.get(route);
    if (table == null) {
      table = routes.computeIfAbsent(route, r -> new SeriesTable<>(Methods.COUNT * FLAGS.length,
          CALL_COLUMNS, index -> newCall(r, index)));
    }
    int column = status == 0 ? Statuses.COUNT : Statuses.index(status);
    return table.get(method * FLAGS.length + flag.ordinal(), column);
  }

  private CallSeries newCall(String route, int index) {
    int row = index / CALL_COLUMNS;
    int column = index % CALL_COLUMNS;
    String method = Methods.name(row / FLAGS.length);
    ResponseFlag flag = FLAGS[row % FLAGS.length];
    String status = column == Statuses.COUNT ? "" : Statuses.text(column);
    boolean error = column == Statuses.COUNT || column >= Statuses.index(500);
    HistogramSeries duration = instruments.callDuration.histogram(service, route, method, status, flag.code());
    String outcome = OUTCOMES[error ? 1 : 0];
    totals.computeIfAbsent(route + '\n' + outcome, key -> new CallsTotal(route, outcome)).add(duration);
    return new CallSeries(duration);
  }

  /**
   * The duration series of an attempt to an instance on {@code port} with {@code method} that got
   * {@code status}, or (status 0) failed with error type {@code errorType}.
   */
  public HistogramSeries attempt(int port, int method, int status, int errorType) {
    PortTable table = portTable(port);
    int column = status != 0 ? Statuses.index(status) : Statuses.COUNT + errorType;
    return table.series.get(method, column);
  }

  /** The attempt counter of an attempt that succeeded or failed by the destination's policy. */
  public CounterSeries attemptOutcome(boolean success) {
    return success ? attemptSuccesses : attemptFailures;
  }

  /** Gauges of the destination's attempts in flight and pending, read from the concurrency limits. */
  public void limitGauges(IntSupplier inFlight, IntSupplier pending) {
    instruments.inFlight.gauge(inFlight::getAsInt, service);
    instruments.pending.gauge(pending::getAsInt, service);
  }

  /** Counts a retry for {@code reason}. */
  public void retry(String reason) {
    CounterSeries series = retries.get(reason);
    if (series == null) {
      series = retries.computeIfAbsent(reason, r -> instruments.retries.counter(service, r));
    }
    series.increment();
  }

  /** Counts a retry the budget refused. */
  public void budgetExhausted() {
    budgetExhausted.increment();
  }

  /** Counts a call the mesh refused for {@code reason}. */
  public void rejected(String reason) {
    CounterSeries series = rejections.get(reason);
    if (series == null) {
      series = rejections.computeIfAbsent(reason, r -> instruments.rejections.counter(service, r));
    }
    series.increment();
  }

  private PortTable portTable(int port) {
    PortTable[] known = ports;
    for (PortTable table : known) {
      if (table.port == port) {
        return table;
      }
    }
    synchronized (this) {
      for (PortTable table : ports) {
        if (table.port == port) {
          return table;
        }
      }
      PortTable made = new PortTable(port, new SeriesTable<>(Methods.COUNT, ATTEMPT_COLUMNS,
          index -> newAttempt(port, index)));
      PortTable[] grown = java.util.Arrays.copyOf(ports, ports.length + 1);
      grown[ports.length] = made;
      ports = grown;
      return made;
    }
  }

  private HistogramSeries newAttempt(int port, int index) {
    String method = Methods.name(index / ATTEMPT_COLUMNS);
    int column = index % ATTEMPT_COLUMNS;
    String status = column < Statuses.COUNT ? Statuses.text(column) : "";
    // OpenTelemetry: a 5xx is an error whose type is its status code; a failure, the exception's class.
    String errorType = column >= Statuses.COUNT ? ErrorTypes.name(column - Statuses.COUNT)
        : column >= Statuses.index(500) ? status : "";
    return instruments.clientRequestDuration.histogram(method, status, errorType, service, Integer.toString(port));
  }

  /** A call's duration histogram; its count is the call's counter too. */
  public record CallSeries(HistogramSeries duration) {}

  /** The calls of one route and outcome: the total of the histograms that count them. */
  private final class CallsTotal {
    private final List<HistogramSeries> histograms = new CopyOnWriteArrayList<>();

    CallsTotal(String route, String outcome) {
      instruments.calls.counter(this::total, service, route, outcome);
    }

    void add(HistogramSeries histogram) {
      if (!histograms.contains(histogram)) {
        histograms.add(histogram);
      }
    }

    long total() {
      long total = 0;
      for (HistogramSeries histogram : histograms) {
        total += histogram.count();
      }
      return total;
    }
  }

  /** The attempt series of instances on one port. */
  private record PortTable(int port, SeriesTable<HistogramSeries> series) {}
}
