package io.meshwork.fleet.api;

import java.util.List;
import java.util.Map;

/**
 * What a joined mesh follows, as {@code GET /api/v1/watch} answers it: the fleet's config and rules,
 * every service's instances, and the CA's revocation list, under an opaque {@code revision} that
 * changes whenever any of them does.
 *
 * @param revision names this state; send it back to wait for the next one
 * @param config the fleet-wide config
 * @param trafficRules every traffic rule, in the order they were added
 * @param securityRules every security rule, in the order they were added
 * @param instances the instances of every service, by service name
 * @param crl the CA's signed revocation list, PEM
 */
public record FleetView(String revision, FleetConfig config, List<TrafficRule> trafficRules,
    List<SecurityRule> securityRules, Map<String, List<Endpoint>> instances, String crl) {}
