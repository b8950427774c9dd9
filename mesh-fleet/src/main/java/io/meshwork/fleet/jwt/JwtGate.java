package io.meshwork.fleet.jwt;

import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import io.meshwork.controlplane.InboundGate;
import io.meshwork.fleet.api.SecurityRule;
import io.meshwork.security.WorkloadIdentity;
import java.util.List;

/**
 * The JWT check of the security rules that protect one workload. A request needs a valid bearer
 * token when the rules that would allow it (its caller and method) all have {@code required_jwt}; a
 * request no rule allows goes on to authorization, which denies it with a 403. A missing token is
 * answered 401 with {@code WWW-Authenticate: Bearer realm="<service>"}, a bad one 401 with
 * {@code error="invalid_token"} and the reason (RFC 6750). Rules and keys change at run time.
 */
public final class JwtGate implements InboundGate {

  private final String service;
  private volatile State state = new State(List.of(), null);

  /** The gate of {@code service}'s servers, requiring nothing until {@link #update} says so. */
  public JwtGate(String service) {
    this.service = service;
  }

  /** From now on: {@code rules} (those protecting this workload) and {@code verifier} (null: none configured). */
  public void update(List<SecurityRule> rules, JwtVerifier verifier) {
    state = new State(List.copyOf(rules), verifier);
  }

  @Override
  public MeshResponse check(MeshRequest request) {
    State current = state;
    if (current.rules.isEmpty()) {
      return null;
    }
    WorkloadIdentity caller = request.peerIdentity().orElse(null);
    String namespace = caller == null ? null : caller.namespace();
    String name = caller == null ? null : caller.service();
    boolean allowedSomehow = false;
    for (SecurityRule rule : current.rules) {
      if (rule.coversCaller(namespace, name)
          && (rule.allowedMethods().isEmpty() || rule.allowedMethods().contains(request.method()))) {
        if (!rule.requiredJwt()) {
          return null; // a rule allows this call without a token
        }
        allowedSomehow = true;
      }
    }
    if (!allowedSomehow) {
      return null;
    }
    String authorization = request.header("authorization");
    if (authorization == null || authorization.length() <= 7
        || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return refuse("Bearer realm=\"" + service + "\"", "a bearer token is required");
    }
    if (current.verifier == null) {
      return refuse(challenge("no JWT keys are configured"), "no JWT keys are configured");
    }
    JwtVerifier.Result result = current.verifier.verify(authorization.substring(7).trim());
    return result.isValid() ? null : refuse(challenge(result.failure()), result.failure());
  }

  private String challenge(String reason) {
    return "Bearer realm=\"" + service + "\", error=\"invalid_token\", error_description=\""
        + reason.replace('"', '\'') + "\"";
  }

  private MeshResponse refuse(String challenge, String reason) {
    String body = "{\"error\":\"unauthenticated\",\"reason\":\"" + reason.replace("\\", "\\\\").replace("\"", "\\\"")
        + "\",\"service\":\"" + service + "\"}";
    return MeshResponse.builder().status(401).header("www-authenticate", challenge)
        .header("content-type", "application/json").body(body).build();
  }

  private record State(List<SecurityRule> rules, JwtVerifier verifier) {}
}
