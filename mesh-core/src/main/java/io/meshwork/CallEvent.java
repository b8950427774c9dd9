package io.meshwork;

import io.meshwork.registry.ServiceInstance;
import java.time.Duration;

/**
 * One call as it ended, as told to a {@link MeshListener}: what the application's future got.
 *
 * @param service the destination service
 * @param route the route taken ({@code default} when no rule matched)
 * @param request the request as the application made it
 * @param response the response, or null when the call failed
 * @param failure the failure, or null when a response came back
 * @param attempts the attempts sent to instances (0 when the mesh refused the call itself)
 * @param instance the instance of the last attempt, or null when none was picked
 * @param latency how long the call took, retries and backoff included
 * @param responseFlags Envoy's response flag that explains the outcome ({@code UT}, {@code URX},
 *     {@code UH}...), or "-" when the callee answered by itself
 */
public record CallEvent(String service, String route, MeshRequest request, MeshResponse response,
    Throwable failure, int attempts, ServiceInstance instance, Duration latency, String responseFlags) {

  /** Whether a response with a status below 500 came back. */
  public boolean succeeded() {
    return response != null && !response.isServerError();
  }
}
