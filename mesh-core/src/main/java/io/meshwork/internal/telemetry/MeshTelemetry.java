package io.meshwork.internal.telemetry;

import io.meshwork.telemetry.TelemetryConfig;
import io.meshwork.tracing.MeshTracer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a mesh records, as its {@link TelemetryConfig} says: the metric registry and instruments
 * (null when metrics are off), the tracer (null when tracing is off) and the access log.
 */
public final class MeshTelemetry {

  private final TelemetryConfig config;
  private final MetricRegistry registry = new MetricRegistry();
  private final Instruments instruments;
  private final ServerInstruments server;
  private final MeshTracer tracer;
  private final AccessLog accessLog;
  private final Map<String, ClientInstruments> clients = new ConcurrentHashMap<>();

  /** Telemetry as {@code config} says, making spans with {@code tracer}. */
  public MeshTelemetry(TelemetryConfig config, MeshTracer tracer) {
    this.config = config;
    this.instruments = config.metrics() ? new Instruments(registry, config.durationBuckets()) : null;
    this.server = instruments == null ? null : new ServerInstruments(instruments, config.maxCallers());
    this.tracer = config.tracing() ? tracer : null;
    this.accessLog = new AccessLog(config.accessLog());
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
