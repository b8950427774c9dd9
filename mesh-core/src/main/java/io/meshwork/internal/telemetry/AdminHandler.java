package io.meshwork.internal.telemetry;

import io.meshwork.MeshHandler;
import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import io.meshwork.health.HealthReport;
import io.meshwork.telemetry.MeshMetrics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The per-process admin endpoint, served plain (it binds to loopback unless told otherwise, and has
 * no authorization pipeline): {@code /metrics} in Prometheus text or OpenMetrics by the
 * {@code Accept} header, {@code /health} (the process is up), {@code /ready} (it can take traffic)
 * and {@code /health/report} (what the mesh knows of its destinations) as JSON.
 */
public final class AdminHandler implements MeshHandler {

  private static final String JSON = "application/json";

  private final String service;
  private final MeshMetrics metrics;
  private final Supplier<HealthReport> report;
  private final Supplier<String> notReady;

  /**
   * The endpoint of {@code service}'s mesh: {@code notReady} says why the mesh cannot take traffic,
   * or null when it can.
   */
  public AdminHandler(String service, MeshMetrics metrics, Supplier<HealthReport> report,
      Supplier<String> notReady) {
    this.service = service;
    this.metrics = metrics;
    this.report = report;
    this.notReady = notReady;
  }

  @Override
  public CompletableFuture<MeshResponse> handle(MeshRequest request) {
    return CompletableFuture.completedFuture(answer(request));
  }

  private MeshResponse answer(MeshRequest request) {
    if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
      return MeshResponse.builder().status(405).header("allow", "GET, HEAD").header("content-type", JSON)
          .body(error("method " + request.method() + " not allowed (expected: GET)")).build();
    }
    String path = request.path();
    int query = path.indexOf('?');
    switch (query < 0 ? path : path.substring(0, query)) {
      case "/metrics":
        return metrics(request.header("accept"));
      case "/health":
        return json(200, new Json(new StringBuilder()).field("status", "UP").field("service", service).end());
      case "/ready":
        String reason = notReady.get();
        return reason == null
            ? json(200, new Json(new StringBuilder()).field("status", "READY").end())
            : json(503, new Json(new StringBuilder()).field("status", "NOT_READY").field("reason", reason).end());
      case "/health/report":
        return json(200, new StringBuilder(HealthJson.of(report.get())));
      case "/":
        return json(200, new StringBuilder("{\"endpoints\":[\"/metrics\",\"/health\",\"/ready\",\"/health/report\"]}"));
      default:
        return MeshResponse.builder().status(404).header("content-type", JSON)
            .body(error("no admin endpoint " + path + " (expected: /metrics, /health, /ready, /health/report)"))
            .build();
    }
  }

  private MeshResponse metrics(String accept) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
    try {
      metrics.write(out, accept);
    } catch (IOException | RuntimeException e) {
      return MeshResponse.builder().status(500).header("content-type", JSON)
          .body(error("could not write the metrics: " + e)).build();
    }
    return MeshResponse.builder().status(200).header("content-type", metrics.contentType(accept))
        .body(out.toByteArray()).build();
  }

  private static MeshResponse json(int status, StringBuilder body) {
    return MeshResponse.builder().status(status).header("content-type", JSON).body(body.toString()).build();
  }

  private static String error(String message) {
    return new Json(new StringBuilder()).field("error", message).end().toString();
  }
}
