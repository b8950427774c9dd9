package io.meshwork.controlplane.server.api;

import io.meshwork.MeshResponse;
import io.meshwork.telemetry.DashboardAssets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The web dashboard of the fleet: its files (in mesh-core's jar, open to anyone: they hold no data)
 * and {@code /dashboard/view.json}, which tells the pages they show a control plane. The pages read
 * the fleet from the API itself, with the caller's token when reads need one.
 */
final class DashboardEndpoints {

  /** {@code GET /}: a browser pointed at the control plane lands on the dashboard. */
  CompletableFuture<MeshResponse> root(Call call) {
    return StatusEndpoints.done(MeshResponse.builder().status(302).header("location", DashboardAssets.PATH).build());
  }

  /** {@code GET /dashboard}, {@code /dashboard/} and {@code /dashboard/{asset}}. */
  CompletableFuture<MeshResponse> asset(Call call) {
    String path = call.request().path();
    int query = path.indexOf('?');
    return StatusEndpoints.done(DashboardAssets.answer(query < 0 ? path : path.substring(0, query),
        call.request().header("if-none-match")));
  }

  /** {@code GET /dashboard/view.json}. */
  CompletableFuture<MeshResponse> view(Call call) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("view", "fleet");
    return StatusEndpoints.done(Responses.ok(body));
  }
}
