package io.meshwork.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What applying a config changed, for listeners and logs: the destination services whose policy was
 * added, changed or removed, and which mesh-wide parts changed.
 *
 * @param added services that got a policy of their own
 * @param changed services whose own policy changed
 * @param removed services whose own policy was removed (they fall back to the default policy)
 * @param defaultPolicy whether the default policy changed (every service without one of its own)
 * @param authorization whether the authorization rules changed
 * @param inboundRateLimit whether the inbound rate limit changed
 * @param mtls whether the mTLS mode changed
 * @param telemetry whether what the mesh records changed
 */
public record ConfigChange(List<String> added, List<String> changed, List<String> removed, boolean defaultPolicy,
    boolean authorization, boolean inboundRateLimit, boolean mtls, boolean telemetry) {

  /** Copies the lists. */
  public ConfigChange {
    added = List.copyOf(added);
    changed = List.copyOf(changed);
    removed = List.copyOf(removed);
  }

  /** What differs from {@code before} to {@code after}. */
  public static ConfigChange between(MeshConfig before, MeshConfig after) {
    List<String> added = new ArrayList<>();
    List<String> changed = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    after.services().forEach((service, policy) -> {
      if (!before.services().containsKey(service)) {
        added.add(service);
      } else if (!before.services().get(service).equals(policy)) {
        changed.add(service);
      }
    });
    for (String service : before.services().keySet()) {
      if (!after.services().containsKey(service)) {
        removed.add(service);
      }
    }
    return new ConfigChange(added, changed, removed, !before.defaultPolicy().equals(after.defaultPolicy()),
        !before.authorization().equals(after.authorization())
            || before.authorizationDefault() != after.authorizationDefault(),
        !Objects.equals(before.inboundRateLimit(), after.inboundRateLimit()),
        after.mtls() != null && after.mtls() != before.mtls(),
        after.telemetry() != null && !after.telemetry().equals(before.telemetry()));
  }

  /** Whether nothing changed. */
  public boolean isEmpty() {
    return added.isEmpty() && changed.isEmpty() && removed.isEmpty() && !defaultPolicy && !authorization
        && !inboundRateLimit && !mtls && !telemetry;
  }

  /** One line, such as "services added [a], changed [user-service]; authorization changed". */
  @Override
  public String toString() {
    if (isEmpty()) {
      return "no change";
    }
    List<String> parts = new ArrayList<>();
    List<String> services = new ArrayList<>();
    if (!added.isEmpty()) {
      services.add("added " + added);
    }
    if (!changed.isEmpty()) {
      services.add("changed " + changed);
    }
    if (!removed.isEmpty()) {
      services.add("removed " + removed);
    }
    if (!services.isEmpty()) {
      parts.add("services " + String.join(", ", services));
    }
    if (defaultPolicy) {
      parts.add("default policy changed");
    }
    if (authorization) {
      parts.add("authorization changed");
    }
    if (inboundRateLimit) {
      parts.add("inbound rate limit changed");
    }
    if (mtls) {
      parts.add("mtls changed");
    }
    if (telemetry) {
      parts.add("telemetry changed");
    }
    return String.join("; ", parts);
  }
}
