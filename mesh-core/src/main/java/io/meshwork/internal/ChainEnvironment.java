package io.meshwork.internal;

import io.meshwork.CallDecorator;
import io.meshwork.MeshListener;
import io.meshwork.internal.telemetry.MeshTelemetry;
import io.meshwork.time.Scheduler;
import io.meshwork.time.Ticker;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * What every destination's chain shares with the mesh: its time, its timers, its random source (all
 * randomness of the chain comes from it), its listener, the application's mesh-wide decorators, and
 * its telemetry with the identity its access log names as the caller.
 */
record ChainEnvironment(Ticker ticker, Scheduler scheduler, RandomGenerator random, MeshListener listener,
    List<CallDecorator> decorators, MeshTelemetry telemetry, String identity) {

  /** The telemetry of calls to {@code service}. */
  ClientTelemetry clientTelemetry(String service) {
    return new ClientTelemetry(service, telemetry, listener, ticker, identity);
  }
}
