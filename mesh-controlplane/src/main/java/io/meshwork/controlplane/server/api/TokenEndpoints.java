package io.meshwork.controlplane.server.api;

import io.meshwork.MeshResponse;
import io.meshwork.controlplane.server.state.BootstrapToken;
import io.meshwork.controlplane.server.state.FleetState;
import io.meshwork.fleet.api.DurationText;
import io.meshwork.fleet.api.FieldError;
import io.meshwork.registry.ServiceInstance;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Bootstrap tokens ({@code /api/v1/bootstrap-tokens}): what a workload joins with. The secret is shown
 * once, when the token is made; only its SHA-256 is kept.
 */
final class TokenEndpoints {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Duration DEFAULT_TTL = Duration.ofHours(24);
  private static final Duration MAX_TTL = Duration.ofDays(365);

  private final FleetState state;

  TokenEndpoints(FleetState state) {
    this.state = state;
  }

  CompletableFuture<MeshResponse> create(Call call) {
    IssueRequest body = call.body(IssueRequest.class);
    String namespace = body.namespace() == null ? ServiceInstance.DEFAULT_NAMESPACE : name("namespace", body.namespace());
    String service = "*".equals(body.serviceName()) ? "*" : name("service_name", body.serviceName());
    Duration ttl = body.ttl() == null ? DEFAULT_TTL : DurationText.parse("ttl", body.ttl());
    if (ttl.compareTo(MAX_TTL) > 0) {
      throw new FieldError("ttl", body.ttl(), "at most 365 days (8760h)");
    }
    byte[] idBytes = new byte[6];
    byte[] secretBytes = new byte[32];
    RANDOM.nextBytes(idBytes);
    RANDOM.nextBytes(secretBytes);
    String id = HexFormat.of().formatHex(idBytes);
    String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(secretBytes);
    Instant now = Instant.now();
    BootstrapToken token = new BootstrapToken(id, namespace, service, TokenHash.sha256(secret), now.toString(),
        now.plus(ttl).toString());
    return state.putToken(token).thenApply(done -> Responses.status("token created", "id", id,
        "token", id + "." + secret, "namespace", namespace, "service_name", service, "expires_at", token.expiresAt()));
  }

  CompletableFuture<MeshResponse> list(Call call) {
    List<Map<String, Object>> tokens = new ArrayList<>();
    for (BootstrapToken token : state.tokens()) {
      Map<String, Object> shown = new LinkedHashMap<>();
      shown.put("id", token.id());
      shown.put("namespace", token.namespace());
      shown.put("service_name", token.serviceName());
      shown.put("created_at", token.createdAt());
      shown.put("expires_at", token.expiresAt());
      tokens.add(shown);
    }
    tokens.sort((a, b) -> String.valueOf(a.get("created_at")).compareTo(String.valueOf(b.get("created_at"))));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("tokens", tokens);
    return StatusEndpoints.done(Responses.ok(body));
  }

  CompletableFuture<MeshResponse> delete(Call call) {
    String id = call.path("id");
    if (state.token(id) == null) {
      throw ApiError.notFound("bootstrap token " + id);
    }
    return state.deleteToken(id).thenApply(done -> Responses.status("token deleted", "id", id));
  }

  private static String name(String field, String value) {
    try {
      return ServiceInstance.checkName(field, value == null ? "" : value);
    } catch (IllegalArgumentException e) {
      throw new FieldError(field, value, "letters, digits, '.', '_' or '-', starting with a letter or digit"
          + ("service_name".equals(field) ? ", or '*' for any service of the namespace" : ""));
    }
  }
}
