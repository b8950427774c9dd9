package io.meshwork.etcd;

import io.meshwork.registry.ServiceInstance;
import java.util.Optional;

/**
 * Where one instance lives in etcd: {@code <prefix><namespace>/<service>/<instance-id>}, for
 * example {@code /meshwork/services/default/user-service/127.0.0.1:8080}. Names never hold '/',
 * so the three parts are always recovered from a key.
 *
 * @param namespace the instance's namespace
 * @param service the service name
 * @param id the instance id
 */
record InstanceKey(String namespace, String service, String id) {

  /** The key of {@code instance}. */
  static InstanceKey of(ServiceInstance instance) {
    return new InstanceKey(instance.namespace(), instance.service(), instance.id());
  }

  /** The full key under {@code prefix}. */
  String format(String prefix) {
    return prefix + namespace + "/" + service + "/" + id;
  }

  /**
   * The parts of {@code key}, or empty when it is not an instance key under {@code prefix} (another
   * program's key, a typo made with etcdctl): such keys are skipped, never fatal.
   */
  static Optional<InstanceKey> parse(String prefix, String key) {
    if (!key.startsWith(prefix)) {
      return Optional.empty();
    }
    String[] parts = key.substring(prefix.length()).split("/", -1);
    if (parts.length != 3) {
      return Optional.empty();
    }
    try {
      // The builder checks each part exactly as a registered instance was checked.
      ServiceInstance.builder(parts[1], parts[2]).namespace(parts[0]);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    return Optional.of(new InstanceKey(parts[0], parts[1], parts[2]));
  }

  /** Checks a key prefix: printable, no space, starting and ending with '/'. Returns it. */
  static String checkPrefix(String prefix) {
    boolean ok = prefix != null && prefix.length() >= 2 && prefix.length() <= 200
        && prefix.startsWith("/") && prefix.endsWith("/") && !prefix.contains("//");
    for (int i = 0; ok && i < prefix.length(); i++) {
      char c = prefix.charAt(i);
      ok = c > ' ' && c < 0x7f;
    }
    if (!ok) {
      throw new IllegalArgumentException("keyPrefix: '" + prefix + "' (expected: printable ASCII"
          + " without spaces, starting and ending with '/', no '//', such as /meshwork/services/)");
    }
    return prefix;
  }
}
