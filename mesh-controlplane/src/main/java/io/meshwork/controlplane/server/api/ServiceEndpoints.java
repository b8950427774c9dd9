package io.meshwork.controlplane.server.api;

import io.meshwork.MeshResponse;
import io.meshwork.fleet.api.Endpoint;
import io.meshwork.fleet.api.Registration;
import io.meshwork.registry.HealthStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Registering, deregistering and listing services, in the seeds' shapes. */
final class ServiceEndpoints {

  private final ApiContext context;

  ServiceEndpoints(ApiContext context) {
    this.context = context;
  }

  /**
   * {@code POST /api/v1/services/register}. An admin's registration starts {@code unknown} and is
   * checked at once; a workload registering itself vouches that it is up ({@code healthy}).
   */
  CompletableFuture<MeshResponse> register(Call call) {
    Registration registration = call.body(Registration.class).checked();
    call.requireActingAs(registration.namespace(), registration.serviceName());
    HealthStatus health = call.caller().isAdmin() ? HealthStatus.UNKNOWN : HealthStatus.HEALTHY;
    return context.registry().register(registration, health).thenApply(done -> {
      context.checker().check(registration);
      return Responses.status("registered", "id", registration.id(), "service_name", registration.serviceName(),
          "namespace", registration.namespace());
    });
  }

  /** {@code DELETE /api/v1/services/{namespace}/{service}/{id}}. */
  CompletableFuture<MeshResponse> deregister(Call call) {
    String namespace = call.path("namespace");
    String service = call.path("service");
    String id = call.path("id");
    call.requireActingAs(namespace, service);
    return context.registry().deregister(namespace, service, id).thenApply(found -> {
      if (!found) {
        throw ApiError.notFound("instance " + namespace + "/" + service + "/" + id);
      }
      return Responses.status("deregistered", "id", id, "service_name", service, "namespace", namespace);
    });
  }

  /** {@code GET /api/v1/services}: every service with its endpoints, by namespace. */
  CompletableFuture<MeshResponse> list(Call call) {
    List<Map<String, Object>> services = new ArrayList<>();
    context.registry().endpointsByNamespace().forEach((namespace, byService) ->
        byService.forEach((service, endpoints) -> services.add(describe(namespace, service, endpoints))));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("services", services);
    body.put("total", services.size());
    return StatusEndpoints.done(Responses.ok(body));
  }

  /** {@code GET /api/v1/services/{namespace}/{service}}. */
  CompletableFuture<MeshResponse> get(Call call) {
    String namespace = call.path("namespace");
    String service = call.path("service");
    List<Endpoint> endpoints = new ArrayList<>();
    for (Endpoint endpoint : context.registry().endpoints(service)) {
      if (endpoint.namespace().equals(namespace)) {
        endpoints.add(endpoint);
      }
    }
    if (endpoints.isEmpty()) {
      throw ApiError.notFound("service " + namespace + "/" + service);
    }
    return StatusEndpoints.done(Responses.ok(describe(namespace, service, endpoints)));
  }

  private static Map<String, Object> describe(String namespace, String service, List<Endpoint> endpoints) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("namespace", namespace);
    body.put("service_name", service);
    body.put("healthy_endpoints", endpoints.stream().filter(e -> e.status().equals("healthy")).count());
    body.put("endpoints", endpoints);
    return body;
  }
}
