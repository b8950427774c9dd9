package io.meshwork.internal.telemetry;

import io.meshwork.MeshHandler;
import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import io.meshwork.health.HealthReport;
import io.meshwork.telemetry.DashboardAssets;
import io.meshwork.telemetry.MeshMetrics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The per-process admin endpoint, served plain (it binds to loopback unless told otherwise, and has
 * no authorization pipeline): {@code /metrics} in Prometheus text or OpenMetrics by the
 * {@code Accept} header, {@code /health} (the process is up), {@code /ready} (it can take traffic),
 * and as JSON {@code /health/report} (what the mesh knows of its destinations), {@code /config} (the
 * config in force and its history), {@code /certificate} (this workload's certificate) and
 * {@code /traffic} (the last minutes' rates and latencies); the web dashboard under
 * {@code /dashboard/} shows them.
 */
public final class AdminHandler implements MeshHandler {

  private static final String JSON = "application/json";
  private static final List<String> ENDPOINTS = List.of("/metrics", "/health", "/ready", "/health/report", "/config",
      "/certificate", "/traffic", "/dashboard/");

  private final String service;
  private final MeshMetrics metrics;
  private final Supplier<HealthReport> report;
  private final Supplier<String> notReady;
  private final AdminViews views;

  /**
   * The endpoint of {@code service}'s mesh: {@code notReady} says why the mesh cannot take traffic,
   * or null when it can; {@code views} hold what the dashboard shows.
   */
  public AdminHandler(String service, MeshMetrics metrics, Supplier<HealthReport> report,
      Supplier<String> notReady, AdminViews views) {
    this.service = service;
    this.metrics = metrics;
    this.report = report;
    this.notReady = notReady;
    this.views = views;
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
    String route = query < 0 ? path : path.substring(0, query);
    if (route.equals("/dashboard/view.json")) {
      return json(200, new Json(new StringBuilder()).field("view", "process").field("service", service)
          .field("identity", views.identity()).end());
    }
    if (route.equals("/dashboard") || route.startsWith(DashboardAssets.PATH)) {
      return DashboardAssets.answer(route, request.header("if-none-match"));
    }
    switch (route) {
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
      case "/config":
        return json(200, new StringBuilder(ConfigJson.of(service, views.config().get(), views.history())));
      case "/certificate":
        return json(200, new StringBuilder(CertificateJson.of(views.mtls(), views.credentials())));
      case "/traffic":
        return json(200, views.traffic() == null
            ? new Json(new StringBuilder()).field("service", service).field("metrics", false).end()
            : new StringBuilder(views.traffic().json()));
      case "/":
        StringBuilder endpoints = new StringBuilder("[");
        for (String endpoint : ENDPOINTS) {
          Json.quote(endpoints.length() > 1 ? endpoints.append(',') : endpoints, endpoint);
        }
        return json(200, new Json(new StringBuilder()).raw("endpoints", endpoints.append(']').toString()).end());
      default:
        return MeshResponse.builder().status(404).header("content-type", JSON)
            .body(error("no admin endpoint " + path + " (expected: " + String.join(", ", ENDPOINTS) + ")")).build();
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
    return MeshResponse.builder().status(status).header("content-type", JSON).header("cache-control", "no-store")
        .body(body.toString()).build();
  }

  private static String error(String message) {
    return new Json(new StringBuilder()).field("error", message).end().toString();
  }
}
