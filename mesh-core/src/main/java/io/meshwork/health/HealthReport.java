package io.meshwork.health;

import java.util.List;

/**
 * What a mesh knows now: each destination it has called, and the instances it serves itself.
 *
 * @param service this mesh's own service, or null for a client-only mesh
 * @param destinations the destinations called so far
 * @param served the instances this mesh has registered through {@code serve}
 */
public record HealthReport(String service, List<DestinationHealth> destinations, List<String> served) {

  /** Copies the lists. */
  public HealthReport {
    destinations = List.copyOf(destinations);
    served = List.copyOf(served);
  }

  /** The destination named {@code service}, or null when it was never called. */
  public DestinationHealth destination(String service) {
    for (DestinationHealth destination : destinations) {
      if (destination.service().equals(service)) {
        return destination;
      }
    }
    return null;
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder();
    text.append("mesh ").append(service == null ? "(client only)" : service)
        .append(", serving ").append(served).append('\n');
    for (DestinationHealth destination : destinations) {
      text.append(destination);
    }
    return text.toString();
  }
}
