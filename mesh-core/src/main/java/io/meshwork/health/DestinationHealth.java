package io.meshwork.health;

import java.util.List;

/**
 * One destination: its instances and whether the balancer is in panic mode.
 *
 * @param service the destination service
 * @param instances every registered instance, with what the mesh knows of it
 * @param available how many instances the balancer picks from now
 * @param panic whether too few instances are available and ejections are being ignored
 */
public record DestinationHealth(String service, List<InstanceHealth> instances, int available, boolean panic) {

  /** Copies the list. */
  public DestinationHealth {
    instances = List.copyOf(instances);
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder();
    text.append("  ").append(service).append(": ").append(available).append(" of ")
        .append(instances.size()).append(" available")
        .append(panic ? " (panic: too few available, calling every healthy instance)" : "").append('\n');
    for (InstanceHealth instance : instances) {
      text.append("    ").append(instance).append('\n');
    }
    return text.toString();
  }
}
