package io.meshwork.controlplane.server.api;

import io.meshwork.controlplane.server.ca.FleetAuthority;
import io.meshwork.controlplane.server.state.EndpointChecker;
import io.meshwork.controlplane.server.state.FleetState;
import io.meshwork.controlplane.server.state.RegistryMirror;
import java.time.Duration;
import java.time.Instant;

/**
 * What the API's handlers work on.
 *
 * @param state rules, config, certificates, tokens
 * @param registry the registrations and the fleet's registry
 * @param checker the health checks
 * @param authority the CA
 * @param views what joined meshes watch
 * @param trustDomain the fleet's trust domain
 * @param maxCertificateTtl the longest lifetime a certificate gets
 * @param serverIdentity the SPIFFE ID the control plane presents over mTLS, or null without TLS
 * @param store where the state lives, as the status reports it
 * @param startedAt when this controller started
 */
public record ApiContext(FleetState state, RegistryMirror registry, EndpointChecker checker, FleetAuthority authority,
    FleetViews views, Duration maxCertificateTtl, String trustDomain, String serverIdentity, String store,
    Instant startedAt) {}
