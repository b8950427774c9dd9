package io.meshwork.etcd;

import io.etcd.jetcd.api.Event;
import io.etcd.jetcd.api.KeyValue;
import io.meshwork.registry.ServiceInstance;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * Which namespaces other than {@code default} each service has instances in: one empty key per pair,
 * {@code <prefix>.namespaces/<service>/<namespace>}, put (once, in the same transaction) by the first
 * registration of the service in that namespace and never deleted by the registry. A registry reads
 * them all at start and watches them, so that watching a service in every namespace costs one watch
 * per namespace the service is in, not a watch of the whole fleet. The keys are few: one per service
 * and namespace, never one per instance; '.' cannot start a namespace, so they never clash with one.
 */
final class NamespaceIndex implements RangeWatch.Sink {

  private final String markers;
  private final Map<String, Set<String>> namespaces = new ConcurrentHashMap<>();
  private final BiConsumer<String, String> added;

  /** {@code added} hears of each new (service, namespace) pair, on the events lane. */
  NamespaceIndex(String keyPrefix, BiConsumer<String, String> added) {
    this.markers = markersPrefix(keyPrefix);
    this.added = added;
  }

  /** Where the markers live under {@code keyPrefix}. */
  static String markersPrefix(String keyPrefix) {
    return keyPrefix + ".namespaces/";
  }

  /** The marker key saying that {@code service} has instances in {@code namespace}. */
  static String markerKey(String keyPrefix, String service, String namespace) {
    return markersPrefix(keyPrefix) + service + "/" + namespace;
  }

  /** The range of every marker. */
  KeyRange range() {
    return KeyRange.prefix(markers);
  }

  /** The namespaces other than {@code default} that {@code service} has instances in; any thread. */
  Set<String> namespacesOf(String service) {
    return namespaces.getOrDefault(service, Set.of());
  }

  @Override
  public void replace(List<KeyValue> all) {
    Map<String, Set<String>> fresh = new HashMap<>();
    for (KeyValue kv : all) {
      String[] pair = parse(kv);
      if (pair != null) {
        fresh.computeIfAbsent(pair[0], s -> ConcurrentHashMap.newKeySet()).add(pair[1]);
      }
    }
    // Markers are only ever added; one deleted by hand stays known until the registry restarts,
    // which keeps a service's instances in that namespace visible rather than dropping them.
    fresh.forEach((service, list) -> list.forEach(namespace -> add(service, namespace)));
  }

  @Override
  public void apply(List<Event> events) {
    for (Event event : events) {
      String[] pair = parse(event.getKv());
      if (pair != null && event.getType() == Event.EventType.PUT) {
        add(pair[0], pair[1]);
      }
    }
  }

  private void add(String service, String namespace) {
    if (namespaces.computeIfAbsent(service, s -> ConcurrentHashMap.newKeySet()).add(namespace)) {
      added.accept(service, namespace);
    }
  }

  /** {service, namespace}, or null for a key that is not a well-formed marker. */
  private String[] parse(KeyValue kv) {
    String key = kv.getKey().toString(StandardCharsets.UTF_8);
    if (!key.startsWith(markers)) {
      return null;
    }
    String[] parts = key.substring(markers.length()).split("/", -1);
    if (parts.length != 2 || ServiceInstance.DEFAULT_NAMESPACE.equals(parts[1])) {
      return null;
    }
    try {
      ServiceInstance.checkName("service", parts[0]);
      ServiceInstance.checkName("namespace", parts[1]);
    } catch (IllegalArgumentException e) {
      return null;
    }
    return parts;
  }
}
