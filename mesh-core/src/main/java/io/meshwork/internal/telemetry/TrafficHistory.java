package io.meshwork.internal.telemetry;

import io.meshwork.telemetry.MetricFamily;
import io.meshwork.telemetry.MetricSeries;
import io.meshwork.time.Scheduler;
import io.meshwork.time.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The traffic of the last minutes, for the dashboard's traffic page ({@code /traffic} on the admin
 * endpoint): sampled from the mesh's own metrics every interval, so a page opened now shows the
 * minutes before it. For the requests this process serves and for each destination it calls, the
 * request rate, success rate and p50/p99 latency of each interval (from the histograms' bucket
 * differences); for each caller identity seen in those minutes, its rate in the last interval.
 * Bounded: {@code capacity}
 * points per series and at most {@value #MAX_DESTINATIONS} destinations.
 */
public final class TrafficHistory {

  static final int MAX_DESTINATIONS = 100;
  private static final Logger log = LoggerFactory.getLogger(TrafficHistory.class);
  private static final long[] NO_BUCKETS = new long[0];

  private final String service;
  private final Instruments instruments;
  private final Ticker ticker;
  private final Clock clock;
  private final Duration interval;
  private final int capacity;
  private final Map<String, TrafficSeries> destinations = new TreeMap<>();
  private final TrafficSeries inbound;
  /** Caller identity -> {total, calls in the last interval, when it last called (ticker)}. */
  private final Map<String, long[]> callers = new TreeMap<>();
  private long lastNanos;
  private double lastSeconds;
  private boolean truncated;

  /**
   * A history of {@code service}'s traffic (null for a mesh that only calls), sampled every
   * {@code interval} once {@link #start started}, keeping {@code capacity} points per series.
   */
  public TrafficHistory(String service, Instruments instruments, Ticker ticker, Clock clock, Duration interval,
      int capacity) {
    this.service = service;
    this.instruments = instruments;
    this.ticker = ticker;
    this.clock = clock;
    this.interval = interval;
    this.capacity = capacity;
    this.inbound = new TrafficSeries(service == null ? "inbound" : service,
        instruments.serverRequestDuration.bucketBounds(), capacity);
    this.lastNanos = ticker.nanoTime(); // the counters start at zero with the mesh, as the series do
  }

  /** Samples every interval on {@code scheduler} until the handle is cancelled. */
  public Scheduler.Cancellable start(Scheduler scheduler) {
    AtomicBoolean stopped = new AtomicBoolean();
    AtomicReference<Scheduler.Cancellable> pending = new AtomicReference<>();
    Runnable tick = new Runnable() {
      @Override
      public void run() {
        if (stopped.get()) {
          return;
        }
        try {
          sample();
        } catch (RuntimeException e) {
          log.warn("sampling the traffic for the dashboard failed", e);
        }
        if (!stopped.get()) {
          pending.set(scheduler.schedule(this, interval.toNanos(), TimeUnit.NANOSECONDS));
        }
      }
    };
    pending.set(scheduler.schedule(tick, interval.toNanos(), TimeUnit.NANOSECONDS));
    return () -> {
      boolean first = stopped.compareAndSet(false, true);
      Scheduler.Cancellable task = pending.get();
      if (task != null) {
        task.cancel();
      }
      return first;
    };
  }

  /** Takes one sample: a point for every series, from the totals now. */
  public synchronized void sample() {
    long now = ticker.nanoTime();
    double seconds = (now - lastNanos) / 1e9;
    lastNanos = now;
    lastSeconds = seconds;
    Map<String, long[]> calls = new TreeMap<>(); // service -> {calls, errors}
    sum(instruments.calls, "service", (key, series) -> {
      long[] totals = calls.computeIfAbsent(key, k -> new long[2]);
      totals[0] += series.count();
      if ("error".equals(label(series, "outcome"))) {
        totals[1] += series.count();
      }
    });
    Map<String, long[]> latencies = buckets(instruments.callDuration, "service");
    for (Map.Entry<String, long[]> destination : calls.entrySet()) {
      TrafficSeries series = destinations.get(destination.getKey());
      if (series == null) {
        if (destinations.size() >= MAX_DESTINATIONS) {
          truncated = true;
          continue;
        }
        series = new TrafficSeries(destination.getKey(), instruments.callDuration.bucketBounds(), capacity);
        destinations.put(destination.getKey(), series);
      }
      series.record(now, seconds, destination.getValue()[0], destination.getValue()[1],
          latencies.getOrDefault(destination.getKey(), NO_BUCKETS));
    }
    long[] served = new long[2];
    sum(instruments.serverRequestDuration, null, (key, series) -> {
      served[0] += series.count();
      String error = label(series, "error.type");
      if (error != null && !error.isEmpty()) {
        served[1] += series.count();
      }
    });
    inbound.record(now, seconds, served[0], served[1],
        buckets(instruments.serverRequestDuration, null).getOrDefault("", NO_BUCKETS));
    sum(instruments.serverRequests, "caller", (caller, series) -> {
      long[] totals = callers.computeIfAbsent(caller, k -> new long[3]);
      totals[1] = series.count() >= totals[0] ? series.count() - totals[0] : series.count();
      totals[0] = series.count();
      if (totals[1] > 0) {
        totals[2] = now;
      }
    });
  }

  /** The history as JSON: the interval, the time now, and each series' points (see {@link TrafficSeries}). */
  public synchronized String json() {
    long nowNanos = ticker.nanoTime();
    long nowMillis = clock.millis();
    StringBuilder out = new StringBuilder(4096);
    StringBuilder served = new StringBuilder();
    inbound.json(served, nowNanos, nowMillis);
    StringBuilder called = new StringBuilder("[");
    for (TrafficSeries series : destinations.values()) {
      if (called.length() > 1) {
        called.append(',');
      }
      series.json(called, nowNanos, nowMillis);
    }
    StringBuilder from = new StringBuilder("[");
    long window = interval.toNanos() * capacity;
    callers.forEach((caller, totals) -> {
      if (totals[0] == 0 || nowNanos - totals[2] > window) {
        return; // only the callers of the last minutes
      }
      if (from.length() > 1) {
        from.append(',');
      }
      new Json(from).field("caller", caller).field("total", totals[0])
          .field("rate", lastSeconds > 0 ? Math.round(totals[1] / lastSeconds * 1000) / 1000.0 : 0).end();
    });
    new Json(out).field("service", service).field("interval_seconds", interval.toMillis() / 1000.0)
        .field("window_seconds", interval.toMillis() * capacity / 1000).field("now", nowMillis)
        .raw("inbound", served.toString()).raw("destinations", called.append(']').toString())
        .raw("callers", from.append(']').toString()).field("truncated", truncated).end();
    return out.toString();
  }

  /** Calls {@code each} with every series of {@code family} and its value of {@code label} ("" when null). */
  private static void sum(Family family, String label, SeriesVisitor each) {
    for (Series series : family.series()) {
      String key = label == null ? "" : label(series, label);
      each.visit(key == null ? "" : key, series);
    }
  }

  /** The bucket counts of {@code family}'s histograms added up by their value of {@code label}. */
  private static Map<String, long[]> buckets(Family family, String label) {
    Map<String, long[]> totals = new TreeMap<>();
    sum(family, label, (key, series) -> {
      long[] counts = series.bucketCounts();
      long[] total = totals.computeIfAbsent(key, k -> new long[counts.length]);
      for (int i = 0; i < counts.length && i < total.length; i++) {
        total[i] += counts[i];
      }
    });
    return totals;
  }

  private static String label(MetricSeries series, String name) {
    MetricFamily family = series.family();
    List<String> names = family.labelNames();
    int index = names.indexOf(name);
    return index < 0 ? null : series.labelValues().get(index);
  }

  @FunctionalInterface
  private interface SeriesVisitor {
    void visit(String key, Series series);
  }
}
