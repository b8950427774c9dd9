package io.meshwork.internal.telemetry;

import io.meshwork.security.WorkloadIdentity;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The series of inbound requests: the duration by method and status, requests and denials by
 * caller identity. Callers past the cap share the label {@code other}, so a fleet of new callers
 * cannot grow the series without bound.
 */
public final class ServerInstruments {

  /** The caller label of a request with no verified identity (plaintext). */
  public static final String UNAUTHENTICATED = "unauthenticated";
  /** The caller label shared by callers past the cap. */
  public static final String OTHER = "other";

  private final Instruments instruments;
  private final int maxCallers;
  private final SeriesTable<HistogramSeries> durations;
  private final Map<WorkloadIdentity, CallerSeries> callers = new ConcurrentHashMap<>();
  private final CallerSeries unauthenticated;
  private volatile CallerSeries other;
  private final GaugeSeries inFlight;

  ServerInstruments(Instruments instruments, int maxCallers) {
    this.instruments = instruments;
    this.maxCallers = maxCallers;
    this.durations = new SeriesTable<>(Methods.COUNT, Statuses.COUNT, this::newDuration);
    this.inFlight = instruments.serverInFlight.gauge();
    this.unauthenticated = new CallerSeries(UNAUTHENTICATED, instruments.serverRequests.counter(UNAUTHENTICATED));
  }

  /** The duration series of a request with {@code method} answered {@code status}. */
  public HistogramSeries duration(int method, int status) {
    return durations.get(method, Statuses.index(status));
  }

  /** The requests in flight now. */
  public GaugeSeries inFlight() {
    return inFlight;
  }

  /** The caller's label: its SPIFFE ID, {@code unauthenticated}, or {@code other} past the cap. */
  public String callerLabel(WorkloadIdentity caller) {
    return caller(caller).label;
  }

  /** Counts a request from {@code caller}. */
  public void request(WorkloadIdentity caller) {
    caller(caller).requests.increment();
  }

  /** Counts a request from {@code caller} refused for {@code reason} (authorization, rate_limit). */
  public void denied(WorkloadIdentity caller, String reason) {
    CallerSeries series = caller(caller);
    CounterSeries counter = series.denials.get(reason);
    if (counter == null) {
      counter = series.denials.computeIfAbsent(reason, r -> instruments.serverDenied.counter(series.label, r));
    }
    counter.increment();
  }

  private CallerSeries caller(WorkloadIdentity caller) {
    if (caller == null) {
      return unauthenticated;
    }
    CallerSeries series = callers.get(caller);
    if (series != null) {
      return series;
    }
    if (callers.size() >= maxCallers) {
      return other();
    }
    // A race may let a few more than the cap in: the bound still holds within the number of threads.
    return callers.computeIfAbsent(caller, c -> {
      String label = c.spiffeId();
      return new CallerSeries(label, instruments.serverRequests.counter(label));
    });
  }

  private CallerSeries other() {
    CallerSeries series = other;
    if (series == null) {
      series = new CallerSeries(OTHER, instruments.serverRequests.counter(OTHER));
      other = series; // racing threads make the same family series: harmless
    }
    return series;
  }

  private HistogramSeries newDuration(int index) {
    String status = Statuses.text(index % Statuses.COUNT);
    String errorType = index % Statuses.COUNT >= Statuses.index(500) ? status : "";
    return instruments.serverRequestDuration.histogram(Methods.name(index / Statuses.COUNT), status, errorType);
  }

  /** A caller's label and counters. */
  private static final class CallerSeries {
    final String label;
    final CounterSeries requests;
    final Map<String, CounterSeries> denials = new ConcurrentHashMap<>();

    CallerSeries(String label, CounterSeries requests) {
      this.label = label;
      this.requests = requests;
    }
  }
}
