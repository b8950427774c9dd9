package io.meshwork.etcd;

import io.etcd.jetcd.api.Event;
import io.etcd.jetcd.api.KeyValue;
import io.meshwork.registry.ServiceInstance;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Instances from what etcd returns: keys that are not {@code <prefix><namespace>/<service>/<id>} are
 * skipped (another program's key, the namespace index), and a value that is not a usable document
 * removes the instance, since it can no longer be trusted.
 */
final class InstanceRecords {

  private static final Logger log = LoggerFactory.getLogger(InstanceRecords.class);

  private InstanceRecords() {}

  /** The instances a read found. */
  static Map<InstanceKey, ServiceInstance> of(String prefix, List<KeyValue> kvs) {
    Map<InstanceKey, ServiceInstance> all = new LinkedHashMap<>();
    for (KeyValue kv : kvs) {
      keyOf(prefix, kv).ifPresent(key -> {
        ServiceInstance instance = decode(prefix, key, kv);
        if (instance != null) {
          all.put(key, instance);
        }
      });
    }
    return all;
  }

  /** The changes of a watch, in order: the new instance, or null for a deleted (or broken) one. */
  static Map<InstanceKey, ServiceInstance> changes(String prefix, List<Event> events) {
    Map<InstanceKey, ServiceInstance> changes = new LinkedHashMap<>();
    for (Event event : events) {
      KeyValue kv = event.getKv();
      boolean deleted = event.getType() == Event.EventType.DELETE;
      keyOf(prefix, kv).ifPresent(key -> {
        changes.remove(key); // keeps the order of the last change of each key
        changes.put(key, deleted ? null : decode(prefix, key, kv));
      });
    }
    return changes;
  }

  private static Optional<InstanceKey> keyOf(String prefix, KeyValue kv) {
    String key = kv.getKey().toString(StandardCharsets.UTF_8);
    Optional<InstanceKey> parsed = InstanceKey.parse(prefix, key);
    if (parsed.isEmpty() && !key.startsWith(NamespaceIndex.markersPrefix(prefix))) {
      log.debug("skipping {}: not <prefix><namespace>/<service>/<id>", key);
    }
    return parsed;
  }

  /** The instance at {@code key}, or null (logged) when its value is not an instance document. */
  private static ServiceInstance decode(String prefix, InstanceKey key, KeyValue kv) {
    try {
      return InstanceJson.decode(key, kv.getValue().toByteArray());
    } catch (IllegalArgumentException e) {
      log.warn("skipping {}: {}", key.format(prefix), e.getMessage());
      return null;
    }
  }
}
