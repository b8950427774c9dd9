package io.meshwork.fleet.api;

import io.meshwork.registry.ServiceInstance;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An instance to register: the body of {@code POST /api/v1/services/register}, in the seeds' fields.
 *
 * @param id the instance's id, unique within its service; {@code <ip>:<port>} when missing
 * @param serviceName the service
 * @param namespace the namespace; {@code default} when missing
 * @param ip the address it listens on
 * @param port the port it listens on
 * @param protocol {@code http} (HTTP/1.1, the default), {@code http2} or {@code grpc} (both HTTP/2)
 * @param healthCheckPath the path the control plane's health checks GET; none: they only connect
 * @param weight its weight for weighted balancing, 0..1000000; 1 when missing
 * @param labels its labels, such as {@code version: v2}, which subsets select
 */
public record Registration(String id, String serviceName, String namespace, String ip, Integer port,
    String protocol, String healthCheckPath, Integer weight, Map<String, String> labels) {

  /** The protocols an instance may speak. */
  public static final String[] PROTOCOLS = {"http", "http2", "grpc"};

  /**
   * This registration checked, with its defaults filled in.
   *
   * @throws FieldError naming the first bad field
   */
  public Registration checked() {
    String service = Checks.name("service_name", serviceName);
    String ns = namespace == null ? ServiceInstance.DEFAULT_NAMESPACE : Checks.name("namespace", namespace);
    String address = Checks.ip("ip", ip);
    int checkedPort = Checks.between("port", port, 1, 65535, null);
    String checkedId = id == null ? (address.indexOf(':') >= 0 ? "[" + address + "]" : address) + ":" + checkedPort
        : Checks.text("id", id, 253);
    if (checkedId.chars().anyMatch(c -> c == ' ' || c == '/')) {
      throw new FieldError("id", id, "no spaces or '/'");
    }
    String checkedProtocol = Checks.oneOf("protocol", protocol, "http", PROTOCOLS);
    String path = Checks.path("health_check_path", healthCheckPath);
    int checkedWeight = Checks.between("weight", weight, 0, ServiceInstance.MAX_WEIGHT, 1);
    Map<String, String> checkedLabels = new LinkedHashMap<>();
    if (labels != null) {
      labels.forEach((key, value) -> {
        if (key == null || key.isEmpty() || key.length() > 253) {
          throw new FieldError("labels", key, "label names of 1..253 characters");
        }
        if (value == null || value.length() > 253) {
          throw new FieldError("labels." + key, value, "a string of 0..253 characters");
        }
        checkedLabels.put(key, value);
      });
    }
    return new Registration(checkedId, service, ns, address, checkedPort, checkedProtocol, path, checkedWeight,
        Map.copyOf(checkedLabels));
  }

  /** The registry's form of this (checked) registration, with {@code health}. */
  public ServiceInstance toInstance(io.meshwork.registry.HealthStatus health) {
    return ServiceInstance.builder(serviceName, id).namespace(namespace).host(ip).port(port)
        .weight(weight).labels(labels).health(health).build();
  }

  /** The registration of {@code instance}, as a mesh that serves it sends it. */
  public static Registration of(ServiceInstance instance, String protocol) {
    return new Registration(instance.id(), instance.service(), instance.namespace(), instance.host(), instance.port(),
        protocol, null, instance.weight(), instance.labels());
  }
}
