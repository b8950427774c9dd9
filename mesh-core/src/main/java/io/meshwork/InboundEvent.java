package io.meshwork;

import io.meshwork.security.WorkloadIdentity;
import java.time.Duration;

/**
 * One request this mesh's server handled, as told to a {@link MeshListener}.
 *
 * @param service this mesh's service
 * @param request the request as it arrived
 * @param caller the caller's verified identity, or null for a plaintext caller
 * @param status the status answered
 * @param latency from the request's arrival to its answer
 * @param denial why the mesh refused it ({@code authorization}, {@code rate_limit}), or null when the
 *     handler answered
 */
public record InboundEvent(String service, MeshRequest request, WorkloadIdentity caller, int status,
    Duration latency, String denial) {

  /** Whether the mesh refused the request before the handler saw it. */
  public boolean denied() {
    return denial != null;
  }
}
