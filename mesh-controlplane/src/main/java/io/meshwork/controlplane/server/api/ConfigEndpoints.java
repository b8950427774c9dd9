package io.meshwork.controlplane.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshwork.MeshResponse;
import io.meshwork.controlplane.server.state.FleetState;
import io.meshwork.fleet.api.FieldError;
import io.meshwork.fleet.api.FleetConfig;
import io.meshwork.fleet.api.WireFormat;
import io.meshwork.fleet.jwt.JwtVerifier;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * {@code POST|GET /api/v1/config}. A post changes the fields it names and keeps the others
 * ({@code observability} field by field); a field set to {@code null} goes back to the meshes' own
 * default. The result is checked whole, as the meshes will apply it, before it is stored.
 */
final class ConfigEndpoints {

  private final FleetState state;

  ConfigEndpoints(FleetState state) {
    this.state = state;
  }

  CompletableFuture<MeshResponse> update(Call call) {
    ObjectNode posted = Bodies.tree(call.request());
    ObjectNode merged = WireFormat.mapper().valueToTree(state.config());
    for (Map.Entry<String, JsonNode> field : posted.properties()) {
      JsonNode value = field.getValue();
      JsonNode current = merged.get(field.getKey());
      if (value.isNull()) {
        merged.remove(field.getKey());
      } else if ("observability".equals(field.getKey()) && value.isObject() && current instanceof ObjectNode old) {
        ObjectNode both = old.deepCopy();
        value.properties().forEach(entry -> {
          if (entry.getValue().isNull()) {
            both.remove(entry.getKey());
          } else {
            both.set(entry.getKey(), entry.getValue());
          }
        });
        merged.set(field.getKey(), both);
      } else {
        merged.set(field.getKey(), value);
      }
    }
    FleetConfig config = Bodies.bind(merged, FleetConfig.class).checked();
    if (config.jwt() == null && state.securityRules().stream().anyMatch(rule -> rule.requiredJwt())) {
      throw new FieldError("jwt", null, "JWT settings: security rules with required_jwt need them");
    }
    if (config.jwt() != null && config.jwt().jwksUri() == null) {
      JwtVerifier.of(config.jwt()); // the keys must parse; a jwks_uri is for the meshes to fetch
    }
    PolicyCheck.check("(config)", config, state.trafficRules(), state.securityRules(), "default", "policy-check");
    return state.putConfig(config).thenApply(done -> Responses.status("config updated", "config", config));
  }

  CompletableFuture<MeshResponse> get(Call call) {
    return StatusEndpoints.done(Responses.ok(state.config()));
  }
}
