package io.meshwork.etcd;

import io.etcd.jetcd.api.Event;
import io.etcd.jetcd.api.KeyValue;
import io.meshwork.registry.ServiceInstance;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Every instance under the prefix, spread over the services they belong to: the sink of the one
 * watch of a registry built with {@code watchAllServices}. Each service it meets is loaded at once.
 */
final class WholePrefix implements RangeWatch.Sink {

  private final String prefix;
  private final Map<String, WatchedService> services;
  private final Function<String, WatchedService> entry;

  /** {@code entry} gives a service's entry, made when it has none. */
  WholePrefix(String prefix, Map<String, WatchedService> services, Function<String, WatchedService> entry) {
    this.prefix = prefix;
    this.services = services;
    this.entry = entry;
  }

  @Override
  public void replace(List<KeyValue> all) {
    Map<String, Map<InstanceKey, ServiceInstance>> byService = new HashMap<>();
    InstanceRecords.of(prefix, all).forEach((key, instance) ->
        byService.computeIfAbsent(key.service(), s -> new HashMap<>()).put(key, instance));
    Set<String> touched = new LinkedHashSet<>(services.keySet());
    touched.addAll(byService.keySet());
    for (String service : touched) {
      loaded(service).replace(null, byService.getOrDefault(service, Map.of()));
    }
  }

  @Override
  public void apply(List<Event> changes) {
    Map<String, Map<InstanceKey, ServiceInstance>> byService = new HashMap<>();
    InstanceRecords.changes(prefix, changes).forEach((key, instance) ->
        byService.computeIfAbsent(key.service(), s -> new LinkedHashMap<>()).put(key, instance));
    byService.forEach((service, serviceChanges) -> loaded(service).apply(serviceChanges));
  }

  private WatchedService loaded(String service) {
    WatchedService watched = entry.apply(service);
    watched.markLoaded();
    return watched;
  }
}
