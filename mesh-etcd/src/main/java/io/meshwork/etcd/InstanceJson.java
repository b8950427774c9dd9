package io.meshwork.etcd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshwork.registry.HealthStatus;
import io.meshwork.registry.ServiceInstance;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The value of an instance key: a small JSON document a person reads with {@code etcdctl get}.
 *
 * <pre>{@code
 * {"service":"user-service","id":"127.0.0.1:8080","namespace":"default","host":"127.0.0.1",
 *  "port":8080,"weight":1,"labels":{"version":"v2"},"health":"HEALTHY",
 *  "registeredAt":"2025-01-31T10:15:30.123Z"}
 * }</pre>
 *
 * The key is authoritative for namespace, service and id; the copies in the document are there for
 * the reader. Unknown fields are ignored so that a newer writer does not break an older reader.
 */
final class InstanceJson {

  private static final ObjectMapper MAPPER = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private InstanceJson() {}

  /** The document of {@code instance}, registered at {@code registeredAt}. */
  static byte[] encode(ServiceInstance instance, Instant registeredAt) {
    Document document = new Document(instance.service(), instance.id(), instance.namespace(),
        instance.host(), instance.port(), instance.weight(), new LinkedHashMap<>(instance.labels()),
        instance.health().name(), registeredAt.toString());
    try {
      return MAPPER.writeValueAsBytes(document);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the JSON of " + instance, e);
    }
  }

  /**
   * The instance at {@code key} described by {@code json}; fails with {@link IllegalArgumentException}
   * saying what is wrong when the document is not one this registry can use.
   */
  static ServiceInstance decode(InstanceKey key, byte[] json) {
    Document document;
    try {
      document = MAPPER.readValue(json, Document.class);
    } catch (IOException e) {
      String why = e instanceof JsonProcessingException parse ? parse.getOriginalMessage() : e.getMessage();
      throw new IllegalArgumentException("not an instance document: " + why, e);
    }
    if (document == null || document.host() == null || document.port() == null) {
      throw new IllegalArgumentException("host and port are required");
    }
    ServiceInstance.Builder builder = ServiceInstance.builder(key.service(), key.id())
        .namespace(key.namespace()).host(document.host()).port(document.port());
    if (document.weight() != null) {
      builder.weight(document.weight());
    }
    if (document.labels() != null) {
      builder.labels(document.labels());
    }
    builder.health(health(document.health()));
    return builder.build();
  }

  private static HealthStatus health(String name) {
    if (name == null) {
      return HealthStatus.HEALTHY; // the builder's default: a hand-written entry without it serves
    }
    try {
      return HealthStatus.valueOf(name);
    } catch (IllegalArgumentException e) {
      return HealthStatus.UNKNOWN; // a state a newer writer knows: never picked until it is known
    }
  }

  /** The document's fields, in the order a reader expects them. */
  @JsonPropertyOrder({"service", "id", "namespace", "host", "port", "weight", "labels", "health",
      "registeredAt"})
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Document(String service, String id, String namespace, String host, Integer port,
      Integer weight, Map<String, String> labels, String health, String registeredAt) {}
}
