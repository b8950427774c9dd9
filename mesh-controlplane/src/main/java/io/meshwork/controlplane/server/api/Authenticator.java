package io.meshwork.controlplane.server.api;

import io.meshwork.MeshRequest;
import io.meshwork.controlplane.server.state.BootstrapToken;
import io.meshwork.controlplane.server.state.FleetState;
import io.meshwork.security.WorkloadIdentity;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Set;

/**
 * Tells who calls: {@code Authorization: Bearer <token>} (the admin token of any controller of the
 * fleet, or a bootstrap token {@code <id>.<secret>}), else the caller's SPIFFE identity from its client
 * certificate. A token that is neither, or an expired one, is refused with 401, as a token is never
 * ignored. Only SHA-256 hashes of tokens are kept and compared.
 */
final class Authenticator {

  static final String REALM = "Bearer realm=\"meshwork-controlplane\"";

  private final FleetState state;
  private final Set<String> adminIdentities;

  Authenticator(FleetState state, Set<String> adminIdentities) {
    this.state = state;
    this.adminIdentities = Set.copyOf(adminIdentities);
  }

  Caller authenticate(MeshRequest request) {
    String authorization = request.header("authorization");
    if (authorization != null) {
      if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7) || authorization.length() <= 7) {
        throw new ApiError(401, "the Authorization header must be 'Bearer <token>'", REALM + ", error=\"invalid_request\"");
      }
      return byToken(authorization.substring(7).trim());
    }
    WorkloadIdentity peer = request.peerIdentity().orElse(null);
    if (peer == null) {
      return Caller.ANONYMOUS;
    }
    if (adminIdentities.contains(peer.spiffeId())) {
      return Caller.ADMIN;
    }
    return Caller.workload(peer.namespace(), peer.service());
  }

  private Caller byToken(String token) {
    if (state.isAdminTokenHash(sha256(token))) {
      return Caller.ADMIN;
    }
    int dot = token.indexOf('.');
    BootstrapToken bootstrap = dot > 0 ? state.token(token.substring(0, dot)) : null;
    if (bootstrap != null && MessageDigest.isEqual(sha256(token.substring(dot + 1)).getBytes(StandardCharsets.US_ASCII),
        bootstrap.secretHash().getBytes(StandardCharsets.US_ASCII))) {
      if (Instant.parse(bootstrap.expiresAt()).isBefore(Instant.now())) {
        throw new ApiError(401, "the bootstrap token " + bootstrap.id() + " expired at " + bootstrap.expiresAt(),
            REALM + ", error=\"invalid_token\", error_description=\"expired\"");
      }
      return Caller.workload(bootstrap.namespace(), bootstrap.serviceName());
    }
    throw new ApiError(401, "the bearer token is not a token of this control plane",
        REALM + ", error=\"invalid_token\"");
  }

  private static String sha256(String text) {
    return TokenHash.sha256(text);
  }

}
