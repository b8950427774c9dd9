package io.meshwork.fleet.api;

import io.meshwork.registry.HealthStatus;
import io.meshwork.registry.ServiceInstance;
import java.util.Locale;
import java.util.Map;

/**
 * A registered instance as the API shows it: the registration's fields and its {@code status},
 * {@code healthy}, {@code unhealthy} or {@code unknown} (not checked yet).
 *
 * @param id the instance's id
 * @param serviceName the service
 * @param namespace the namespace
 * @param ip the address
 * @param port the port
 * @param protocol {@code http}, {@code http2} or {@code grpc}
 * @param healthCheckPath the path health checks GET, or null
 * @param weight the weight
 * @param labels the labels
 * @param status {@code healthy}, {@code unhealthy} or {@code unknown}
 */
public record Endpoint(String id, String serviceName, String namespace, String ip, int port, String protocol,
    String healthCheckPath, int weight, Map<String, String> labels, String status) {

  /** {@code instance} as the API shows it; {@code registration} adds protocol and health check path, if known. */
  public static Endpoint of(ServiceInstance instance, Registration registration) {
    return new Endpoint(instance.id(), instance.service(), instance.namespace(), instance.host(), instance.port(),
        registration == null ? "http" : registration.protocol(),
        registration == null ? null : registration.healthCheckPath(), instance.weight(), instance.labels(),
        instance.health().name().toLowerCase(Locale.ROOT));
  }

  /** The registry's form of this endpoint. */
  public ServiceInstance toInstance() {
    return ServiceInstance.builder(serviceName, id).namespace(namespace).host(ip).port(port).weight(weight)
        .labels(labels == null ? Map.of() : labels)
        .health(HealthStatus.valueOf(status.toUpperCase(Locale.ROOT))).build();
  }
}
