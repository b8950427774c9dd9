package io.meshwork.internal.telemetry;

import io.meshwork.config.MeshConfig;
import io.meshwork.security.MtlsMode;
import io.meshwork.transport.TlsCredentials;
import java.util.function.Supplier;

/**
 * What the admin endpoint shows besides metrics and health, for the dashboard and for scripts.
 *
 * @param identity this workload's SPIFFE ID, or null for a mesh without a service name
 * @param config the config in force now
 * @param history the config changes applied and refused
 * @param traffic the traffic of the last minutes, or null when metrics are off
 * @param mtls the mTLS mode the mesh was built with
 * @param credentials this workload's certificate, or null when mTLS is disabled
 */
public record AdminViews(String identity, Supplier<MeshConfig> config, ConfigHistory history, TrafficHistory traffic,
    MtlsMode mtls, TlsCredentials credentials) {}
