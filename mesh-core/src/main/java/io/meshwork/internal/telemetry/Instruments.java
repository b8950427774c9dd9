package io.meshwork.internal.telemetry;

import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * Every metric family of a mesh, declared in one place: OpenTelemetry's HTTP semantic conventions
 * where one exists, the mesh's own ({@code meshwork.*}) for the rest. The path is never a label;
 * the route name, the method (as OpenTelemetry bounds it), the status and the caller (capped) are.
 */
public final class Instruments {

  final MetricRegistry registry;
  final Family clientRequestDuration;
  final Family callDuration;
  final Family calls;
  final Family attempts;
  final Family retries;
  final Family budgetExhausted;
  final Family rejections;
  final Family inFlight;
  final Family pending;
  final Family connections;
  final Family circuitState;
  final Family circuitTransitions;
  final Family ejections;
  final Family instances;
  final Family serverRequestDuration;
  final Family serverRequests;
  final Family serverDenied;
  final Family serverInFlight;
  final Family handshakes;
  final Family certificateExpiry;

  /** The families in {@code registry}, histograms with {@code bounds} (seconds). */
  public Instruments(MetricRegistry registry, double[] bounds) {
    this.registry = registry;
    clientRequestDuration = registry.histogram("http.client.request.duration",
        "Duration of HTTP client requests: each attempt the mesh sent to an instance.", bounds,
        "http.request.method", "http.response.status_code", "error.type", "server.address", "server.port");
    callDuration = registry.histogram("meshwork.client.call.duration",
        "Duration of calls as the application sees them, retries and backoff included.", bounds,
        "service", "route", "method", "status", "response_flags");
    calls = registry.counter("meshwork.client.calls",
        "Calls made; outcome error when the call failed or its response is a 5xx.", "service", "route", "outcome");
    attempts = registry.counter("meshwork.client.attempts",
        "Attempts sent to an instance; outcome failure when the instance failed by the destination's policy.",
        "service", "outcome");
    retries = registry.counter("meshwork.client.retries", "Retries made, by what was retried.", "service",
        "reason");
    budgetExhausted = registry.counter("meshwork.client.retry_budget.exhausted",
        "Retries the retry budget refused.", "service");
    rejections = registry.counter("meshwork.client.rejections",
        "Calls the mesh refused itself, sending nothing: rate limit, concurrency limit, open circuits, no"
            + " healthy instance.", "service", "reason");
    inFlight = registry.gauge("meshwork.client.in_flight", "Attempts on the wire now.", "", "service");
    pending = registry.gauge("meshwork.client.pending", "Attempts waiting for a concurrency slot now.", "",
        "service");
    connections = registry.gauge("meshwork.client.connections",
        "Connections of the transport's pools, open (in use or idle) and idle.", "", "service", "state");
    circuitState = registry.gauge("meshwork.circuit.state",
        "Breaker state per instance: 1 for the state it is in, 0 for the others.", "", "service", "instance",
        "state");
    circuitTransitions = registry.counter("meshwork.circuit.transitions",
        "Breaker state changes per instance, by the state entered.", "service", "instance", "to");
    ejections = registry.counter("meshwork.outlier.ejections", "Ejections by outlier detection.", "service",
        "instance");
    instances = registry.gauge("meshwork.registry.instances", "Registered instances of a destination by health.",
        "", "service", "health");
    serverRequestDuration = registry.histogram("http.server.request.duration",
        "Duration of HTTP server requests: each inbound request, from arrival to response.", bounds,
        "http.request.method", "http.response.status_code", "error.type");
    serverRequests = registry.counter("meshwork.server.requests", "Inbound requests by caller identity.",
        "caller");
    serverDenied = registry.counter("meshwork.server.denied",
        "Inbound requests refused: by the authorization policy (403) or a rate limit (429).", "caller", "reason");
    serverInFlight = registry.gauge("meshwork.server.in_flight", "Inbound requests being handled now.", "");
    handshakes = registry.counter("meshwork.tls.handshakes", "TLS handshakes of mutual TLS, by side and result.",
        "side", "result");
    certificateExpiry = registry.gauge("meshwork.certificate.time_to_expiry",
        "Seconds until this workload's certificate expires.", "seconds", "identity");
  }

  /** A handshake counter of {@code side} and {@code result} read from the transport when scraped. */
  public void handshakes(LongSupplier source, String side, String result) {
    handshakes.counter(source, side, result);
  }

  /** The seconds left on {@code identity}'s certificate, read from {@code source} when scraped. */
  public void certificateExpiry(DoubleSupplier source, String identity) {
    certificateExpiry.gauge(source, identity);
  }

  /** The registry they live in. */
  public MetricRegistry registry() {
    return registry;
  }
}
