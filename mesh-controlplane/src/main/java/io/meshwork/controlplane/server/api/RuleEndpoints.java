package io.meshwork.controlplane.server.api;

import io.meshwork.MeshResponse;
import io.meshwork.controlplane.server.state.FleetState;
import io.meshwork.controlplane.server.state.StateIds;
import io.meshwork.fleet.api.FieldError;
import io.meshwork.fleet.api.SecurityRule;
import io.meshwork.fleet.api.TrafficRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Traffic rules ({@code /api/v1/traffic-rules/{namespace}/{service}}) and security rules ({@code /api/v1/security-rules}). */
final class RuleEndpoints {

  private final FleetState state;

  RuleEndpoints(FleetState state) {
    this.state = state;
  }

  /** {@code POST /api/v1/traffic-rules/{namespace}/{service}}: answers {@code rule added} and the rule's id. */
  CompletableFuture<MeshResponse> addTrafficRule(Call call) {
    String namespace = call.path("namespace");
    String service = call.path("service");
    TrafficRule rule = call.body(TrafficRule.class).checked(StateIds.next(), namespace, service);
    List<TrafficRule> rules = new ArrayList<>(state.trafficRules());
    rules.add(rule);
    PolicyCheck.check("(rule)", state.config(), rules, state.securityRules(), namespace, "policy-check");
    return state.putTrafficRule(rule).thenApply(done -> Responses.status("rule added", "id", rule.id(), "rule", rule));
  }

  /** {@code GET /api/v1/traffic-rules/{namespace}/{service}}. */
  CompletableFuture<MeshResponse> trafficRules(Call call) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("namespace", call.path("namespace"));
    body.put("service", call.path("service"));
    body.put("rules", state.trafficRules(call.path("namespace"), call.path("service")));
    return StatusEndpoints.done(Responses.ok(body));
  }

  /** {@code DELETE /api/v1/traffic-rules/{namespace}/{service}/{id}}. */
  CompletableFuture<MeshResponse> deleteTrafficRule(Call call) {
    String id = call.path("id");
    boolean known = state.trafficRules(call.path("namespace"), call.path("service")).stream()
        .anyMatch(rule -> rule.id().equals(id));
    if (!known) {
      throw ApiError.notFound("traffic rule " + id + " of " + call.path("namespace") + "/" + call.path("service"));
    }
    return state.deleteTrafficRule(id).thenApply(done -> Responses.status("rule deleted", "id", id));
  }

  /** {@code POST /api/v1/security-rules}: answers {@code security rule added} and the rule's id. */
  CompletableFuture<MeshResponse> addSecurityRule(Call call) {
    SecurityRule rule = call.body(SecurityRule.class).checked(StateIds.next());
    if (rule.requiredJwt() && state.config().jwt() == null) {
      throw new FieldError("required_jwt", true, "false until POST /api/v1/config sets jwt (issuer and keys)");
    }
    List<SecurityRule> rules = new ArrayList<>(state.securityRules());
    rules.add(rule);
    PolicyCheck.check("(rule)", state.config(), state.trafficRules(), rules, rule.destinationNamespace(),
        rule.destinationService());
    return state.putSecurityRule(rule)
        .thenApply(done -> Responses.status("security rule added", "id", rule.id(), "rule", rule));
  }

  /** {@code GET /api/v1/security-rules}. */
  CompletableFuture<MeshResponse> securityRules(Call call) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("rules", state.securityRules());
    return StatusEndpoints.done(Responses.ok(body));
  }

  /** {@code DELETE /api/v1/security-rules/{id}}. */
  CompletableFuture<MeshResponse> deleteSecurityRule(Call call) {
    String id = call.path("id");
    if (state.securityRules().stream().noneMatch(rule -> rule.id().equals(id))) {
      throw ApiError.notFound("security rule " + id);
    }
    return state.deleteSecurityRule(id).thenApply(done -> Responses.status("security rule deleted", "id", id));
  }
}
