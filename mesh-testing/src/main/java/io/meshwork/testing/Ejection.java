package io.meshwork.testing;

import io.meshwork.registry.ServiceInstance;
import java.time.Duration;

/**
 * An instance ejected by outlier detection, as a {@link MeshActivity} recorded it.
 *
 * @param service the destination service
 * @param instance the ejected instance
 * @param duration how long it is ejected for
 */
public record Ejection(String service, ServiceInstance instance, Duration duration) {

  @Override
  public String toString() {
    return service + ": ejected " + instance.address() + " for " + duration;
  }
}
