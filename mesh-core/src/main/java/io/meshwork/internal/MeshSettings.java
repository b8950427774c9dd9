package io.meshwork.internal;

import io.meshwork.CallDecorator;
import io.meshwork.MeshListener;
import io.meshwork.policy.ServerLimits;
import io.meshwork.config.ConfigSource;
import io.meshwork.config.MeshConfig;
import io.meshwork.controlplane.ControlPlaneMembership;
import io.meshwork.registry.ServiceRegistry;
import io.meshwork.telemetry.TelemetryConfig;
import io.meshwork.time.Scheduler;
import io.meshwork.time.Ticker;
import io.meshwork.tracing.MeshTracer;
import io.meshwork.transport.Transport;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * What a {@code MeshBuilder} gathered, checked field by field. Nullable: service (client-only mesh),
 * transport (found through ServiceLoader), scheduler, listener and random (defaults chosen at build),
 * membership (a mesh that joined no control plane). An admin port of -1 means no admin endpoint.
 */
public record MeshSettings(
    String service,
    String namespace,
    String trustDomain,
    String host,
    ServiceRegistry registry,
    Transport transport,
    MeshConfig config,
    Ticker ticker,
    Scheduler scheduler,
    MeshListener listener,
    RandomGenerator random,
    Duration shutdownGrace,
    ServerLimits serverLimits,
    SecuritySettings security,
    List<CallDecorator> decorators,
    Map<String, String> labels,
    int weight,
    TelemetryConfig telemetry,
    MeshTracer tracer,
    int adminPort,
    String adminHost,
    ConfigSource configSource,
    ControlPlaneMembership membership) {

}
