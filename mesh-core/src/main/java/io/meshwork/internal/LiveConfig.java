package io.meshwork.internal;

import io.meshwork.InvalidConfigurationException;
import io.meshwork.MeshClosedException;
import io.meshwork.MeshListener;
import io.meshwork.config.ConfigChange;
import io.meshwork.config.ConfigSource;
import io.meshwork.config.MeshConfig;
import io.meshwork.internal.telemetry.ConfigHistory;
import io.meshwork.internal.telemetry.MeshTelemetry;
import io.meshwork.security.MtlsMode;
import io.meshwork.time.Ticker;
import io.meshwork.traffic.InboundRateLimit;
import java.time.Clock;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * The config in force of a mesh and its changes: each new config (from {@code Mesh.apply}, a
 * {@link ConfigSource} or the control plane) is checked as a whole, then swapped in with the
 * destinations it changes, the telemetry it reconfigures and the inbound rate limit it sets; a
 * refused one leaves the config in force. Every outcome goes to the history the admin endpoint shows
 * and to the listener.
 */
final class LiveConfig {

  private final String service;
  /** The mode the mesh's servers and credentials were built with; a config cannot change it. */
  private final MtlsMode mtls;
  private final MeshListener listener;
  private final MeshTelemetry telemetry;
  private final Ticker ticker;
  private final BooleanSupplier closed;
  private final ConfigHistory history = new ConfigHistory(Clock.systemUTC(), ConfigHistory.LIMIT);
  private DestinationTable destinations;
  private volatile MeshConfig config;
  /** The inbound rate limit in force, shared by the mesh's servers; null for none. */
  private volatile InboundRateLimiter inboundLimiter;

  /** The config {@code initial} (checked here), as built by {@code MeshBuilder}. */
  LiveConfig(MeshConfig initial, String service, MtlsMode mtls, MeshListener listener, MeshTelemetry telemetry,
      Ticker ticker, BooleanSupplier closed) {
    this.service = service;
    this.mtls = mtls;
    this.listener = listener;
    this.telemetry = telemetry;
    this.ticker = ticker;
    this.closed = closed;
    RouteChecks.check(initial);
    this.config = initial; // its mtls is the mode the mesh was built with
    this.inboundLimiter = inboundLimiter(initial.inboundRateLimit(), null);
    history.built("MeshBuilder");
  }

  /** Sets the destinations a new config reconfigures; once, before the first {@link #apply}. */
  void reconfigures(DestinationTable destinations) {
    this.destinations = destinations;
  }

  /** The config in force. */
  MeshConfig get() {
    return config;
  }

  /** The inbound rate limiter in force, or null for none. */
  InboundRateLimiter inboundLimiter() {
    return inboundLimiter;
  }

  /** The config changes applied and refused, for the admin endpoint. */
  ConfigHistory history() {
    return history;
  }

  /**
   * Starts {@code source}: its first document (delivered before {@code start} returns, when it has
   * one at once) must apply, or this fails with why; later ones are applied as they come, and a
   * refused one leaves the config in force.
   */
  void follow(ConfigSource source) {
    String name = source.toString();
    InvalidConfigurationException[] atStart = new InvalidConfigurationException[1];
    boolean[] started = new boolean[1];
    source.start(next -> {
      try {
        apply(next, name);
      } catch (InvalidConfigurationException refused) {
        if (!started[0]) {
          atStart[0] = refused;
        } // later: apply already told the listeners and the log
      }
    }, rejected -> {
      if (!started[0]) {
        atStart[0] = rejected;
      } else {
        history.rejected(name, rejected.getMessage());
        Listeners.configRejected(listener, name, rejected);
      }
    });
    started[0] = true;
    if (atStart[0] != null) {
      throw atStart[0];
    }
  }

  /**
   * Applies {@code next}: the destinations whose policy changed get a new chain, swapped in
   * atomically (calls in flight finish on the old one) with the state that still applies carried
   * over; servers read the new authorization and limits from the next request on.
   */
  ConfigChange apply(MeshConfig next, String source) {
    Objects.requireNonNull(next, "config");
    if (closed.getAsBoolean()) {
      throw new MeshClosedException(service, "mesh is closed");
    }
    try {
      check(next);
    } catch (InvalidConfigurationException e) {
      history.rejected(source, e.getMessage());
      Listeners.configRejected(listener, source, e);
      throw e;
    }
    ConfigChange change;
    synchronized (destinations) {
      MeshConfig previous = config;
      MeshConfig normalized = next.toBuilder()
          .mtls(next.mtls() != null ? next.mtls() : previous.mtls())
          .telemetry(next.telemetry() != null ? next.telemetry() : previous.telemetry()).build();
      change = ConfigChange.between(previous, normalized);
      config = normalized;
      if (change.telemetry()) {
        telemetry.reconfigure(normalized.telemetry());
      }
      inboundLimiter = inboundLimiter(normalized.inboundRateLimit(), inboundLimiter);
      // A telemetry change rebuilds every chain: whether telemetry stages are in it depends on it.
      destinations.reconfigure(next, change.telemetry());
    }
    history.applied(source, change);
    Listeners.configApplied(listener, source, change);
    return change;
  }

  /** Checks what a config may not change or get wrong at run time; throws naming the field. */
  private void check(MeshConfig next) {
    RouteChecks.check(next);
    if (next.telemetry() != null) {
      try {
        telemetry.check(next.telemetry());
      } catch (IllegalArgumentException e) {
        throw new InvalidConfigurationException(service, e.getMessage());
      }
    }
    if (next.mtls() != null && next.mtls() != mtls) {
      throw new InvalidConfigurationException(service, "mtls: " + next.mtls() + " (expected: "
          + mtls + ", the mode this mesh's servers and credentials were built with)");
    }
  }

  /** The limiter of {@code limit}: {@code current} when it already enforces that limit (keeping its buckets). */
  private InboundRateLimiter inboundLimiter(InboundRateLimit limit, InboundRateLimiter current) {
    if (limit == null) {
      return null;
    }
    return current != null && current.limit().equals(limit) ? current : new InboundRateLimiter(limit, ticker);
  }
}
