package io.meshwork.internal.telemetry;

import io.meshwork.telemetry.TelemetryConfig;
import io.meshwork.tracing.MeshTracer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a mesh records, as its {@link TelemetryConfig} says: the metric registry and instruments
 * (null when metrics are off), the tracer (null when tracing is off) and the access log. Tracing and
 * the access log change at run time ({@link #reconfigure}); the metrics' shape (on or off, buckets,
 * the callers cap) is fixed when the mesh is built, so no series ever restarts.
 */
public final class MeshTelemetry {

  private volatile TelemetryConfig config;
  private final MetricRegistry registry = new MetricRegistry();
  private final Instruments instruments;
  private final ServerInstruments server;
  private final MeshTracer given;
  private volatile MeshTracer tracer;
  private volatile AccessLog accessLog;
  private final Map<String, ClientInstruments> clients = new ConcurrentHashMap<>();

  /** Telemetry as {@code config} says, making spans with {@code tracer}. */
  public MeshTelemetry(TelemetryConfig config, MeshTracer tracer) {
    this.config = config;
    this.instruments = config.metrics() ? new Instruments(registry, config.durationBuckets()) : null;
    this.server = instruments == null ? null : new ServerInstruments(instruments, config.maxCallers());
    this.given = tracer;
    this.tracer = config.tracing() ? tracer : null;
    this.accessLog = new AccessLog(config.accessLog());
  }

  /**
   * Takes {@code next}'s tracing and access log from now on.
   *
   * @throws IllegalArgumentException naming the field when {@code next} changes the metrics' shape
   */
  public void reconfigure(TelemetryConfig next) {
    check(next);
    TelemetryConfig current = config;
    tracer = next.tracing() ? given : null;
    if (!next.accessLog().equals(current.accessLog())) {
      accessLog = new AccessLog(next.accessLog());
    }
    config = next;
  }

  /**
   * Whether {@code next} can be taken at run time.
   *
   * @throws IllegalArgumentException naming the field when {@code next} changes the metrics' shape
   */
  public void check(TelemetryConfig next) {
    TelemetryConfig current = config;
    if (next.metrics() != current.metrics()) {
      throw new IllegalArgumentException("telemetry.metrics: " + next.metrics() + " (expected: "
          + current.metrics() + ", as the mesh was built: metrics are turned on or off at build time)");
    }
    if (next.maxCallers() != current.maxCallers()) {
      throw new IllegalArgumentException("telemetry.maxCallers: " + next.maxCallers() + " (expected: "
          + current.maxCallers() + ", as the mesh was built)");
    }
    if (!java.util.Arrays.equals(next.durationBuckets(), current.durationBuckets())) {
      throw new IllegalArgumentException("telemetry.durationBuckets: "
          + java.util.Arrays.toString(next.durationBuckets()) + " (expected: the buckets the mesh was built with)");
    }
  }

  /** The configuration. */
  public TelemetryConfig config() {
    return config;
  }

  /** The registry; empty when metrics are off. */
  public MetricRegistry registry() {
    return registry;
  }

  /** The instruments, or null when metrics are off. */
  public Instruments instruments() {
    return instruments;
  }

  /** The series of calls to {@code service}, or null when metrics are off. */
  public ClientInstruments client(String service) {
    if (instruments == null) {
      return null;
    }
    return clients.computeIfAbsent(service, s -> new ClientInstruments(instruments, s));
  }

  /** The series of inbound requests, or null when metrics are off. */
  public ServerInstruments server() {
    return server;
  }

  /** The tracer, or null when tracing is off. */
  public MeshTracer tracer() {
    return tracer;
  }

  /** The access log. */
  public AccessLog accessLog() {
    return accessLog;
  }
}
