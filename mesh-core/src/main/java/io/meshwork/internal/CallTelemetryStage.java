package io.meshwork.internal;

import io.meshwork.MeshResponse;
import java.util.concurrent.CompletableFuture;

/**
 * The telemetry of a call as the application sees it (DESIGN.md step 0, right inside the
 * application's decorators): starts the call's span, and when the call ends records its duration
 * and outcome, tells the listener and writes the access log line, before the caller's future
 * completes, so whoever waits on the call sees it counted.
 */
final class CallTelemetryStage implements Stage {

  private final ClientTelemetry telemetry;

  CallTelemetryStage(ClientTelemetry telemetry) {
    this.telemetry = telemetry;
  }

  @Override
  public String name() {
    return "telemetry";
  }

  @Override
  public MeshClient wrap(MeshClient next) {
    return (request, context) -> {
      context.telemetry = telemetry;
      telemetry.callStarted(request, context);
      CompletableFuture<MeshResponse> answer;
      try {
        answer = next.execute(request, context);
      } catch (RuntimeException e) {
        answer = CompletableFuture.failedFuture(e);
      }
      return answer.whenComplete((response, failure) -> telemetry.callEnded(request, context, response, failure));
    };
  }
}
