package io.meshwork.traffic;

import io.meshwork.registry.ServiceInstance;

/**
 * Where a route sends calls: a service and optionally a subset of its instances, with a weight when
 * the route splits calls across several destinations.
 *
 * @param service the service
 * @param subset a subset declared by that service's policy, or null for all its instances
 * @param weight the share of calls, relative to the route's other destinations, >= 0
 */
public record RouteDestination(String service, String subset, int weight) {

  /** Checks every field. */
  public RouteDestination {
    ServiceInstance.checkName("destination.service", service);
    if (subset != null) {
      ServiceInstance.checkName("destination.subset", subset);
    }
    if (weight < 0 || weight > 1_000_000) {
      throw new IllegalArgumentException("destination.weight: " + weight + " (expected: 0..1000000)");
    }
  }

  /** All instances of {@code service}, weight 100. */
  public static RouteDestination of(String service) {
    return new RouteDestination(service, null, 100);
  }

  /** The instances of {@code service} in {@code subset}, weight 100. */
  public static RouteDestination of(String service, String subset) {
    return new RouteDestination(service, subset, 100);
  }

  /** This destination with {@code weight}. */
  public RouteDestination withWeight(int weight) {
    return new RouteDestination(service, subset, weight);
  }

  @Override
  public String toString() {
    return service + (subset == null ? "" : "/" + subset) + " (" + weight + ")";
  }
}
