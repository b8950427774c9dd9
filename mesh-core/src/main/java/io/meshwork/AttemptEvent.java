package io.meshwork;

import io.meshwork.registry.ServiceInstance;
import java.time.Duration;

/**
 * One attempt of a call, as told to a {@link MeshListener}.
 *
 * @param service the destination service
 * @param instance the instance tried
 * @param attempt the attempt number, 1 for the first
 * @param request the request
 * @param response the response, or null when the attempt failed without one
 * @param failure the failure, or null when a response came back
 * @param latency how long the attempt took
 */
public record AttemptEvent(String service, ServiceInstance instance, int attempt, MeshRequest request,
    MeshResponse response, Throwable failure, Duration latency) {

  /** Whether the instance answered with a status below 500. */
  public boolean succeeded() {
    return response != null && !response.isServerError();
  }
}
