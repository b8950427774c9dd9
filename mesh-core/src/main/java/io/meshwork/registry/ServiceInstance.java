package io.meshwork.registry;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One running instance of a service: where it listens, its weight, its labels and its health.
 * Immutable and validated: a bad value is rejected when it is set, with a message naming it.
 */
public final class ServiceInstance {

  /** The namespace of an instance that names none. */
  public static final String DEFAULT_NAMESPACE = "default";

  /** The largest weight accepted. */
  public static final int MAX_WEIGHT = 1_000_000;

  private final String service;
  private final String id;
  private final String namespace;
  private final String host;
  private final int port;
  private final int weight;
  private final Map<String, String> labels;
  private final HealthStatus health;
  private final int hash;

  private ServiceInstance(Builder b) {
    this.service = b.service;
    this.id = b.id;
    this.namespace = b.namespace;
    this.host = b.host;
    this.port = b.port;
    this.weight = b.weight;
    this.labels = b.labels;
    this.health = b.health;
    this.hash = Objects.hash(service, id, namespace, host, port, weight, labels, health);
  }

  /**
   * Checks a service or namespace name: 1..253 characters of [A-Za-z0-9._-], starting with a letter
   * or digit. Returns it, or throws {@link IllegalArgumentException} naming {@code field}.
   */
  public static String checkName(String field, String value) {
    return Names.checkName(field, value);
  }

  /** Checks a host name or address: printable, no space or '/'. Returns it. */
  public static String checkHost(String value) {
    return Names.checkToken("host", value);
  }

  /** A builder for instance {@code id} of {@code service}; host and port must be set. */
  public static Builder builder(String service, String id) {
    return new Builder(service, id);
  }

  /** A builder that starts from this instance. */
  public Builder toBuilder() {
    Builder b = new Builder(service, id);
    b.namespace = namespace;
    b.host = host;
    b.port = port;
    b.weight = weight;
    b.labels = labels;
    b.health = health;
    return b;
  }

  /** This instance with another health. */
  public ServiceInstance withHealth(HealthStatus health) {
    return health == this.health ? this : toBuilder().health(health).build();
  }

  /** The service name. */
  public String service() {
    return service;
  }

  /** The instance id, unique within its service. */
  public String id() {
    return id;
  }

  /** The namespace; {@value #DEFAULT_NAMESPACE} unless set. */
  public String namespace() {
    return namespace;
  }

  /** The host name or IP address it listens on. */
  public String host() {
    return host;
  }

  /** The port it listens on, 1..65535. */
  public int port() {
    return port;
  }

  /** {@code host:port}, with an IPv6 host in brackets. */
  public String address() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  /** The weight for weighted balancing; 0 drains the instance. 1 unless set. */
  public int weight() {
    return weight;
  }

  /** The labels, such as {@code version=v2}, used by subsets. */
  public Map<String, String> labels() {
    return labels;
  }

  /** The health; {@link HealthStatus#HEALTHY} unless set. */
  public HealthStatus health() {
    return health;
  }

  /** Whether it is healthy and so may receive traffic. */
  public boolean isHealthy() {
    return health == HealthStatus.HEALTHY;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    return o instanceof ServiceInstance other && hash == other.hash && port == other.port
        && weight == other.weight && service.equals(other.service) && id.equals(other.id)
        && namespace.equals(other.namespace) && host.equals(other.host)
        && labels.equals(other.labels) && health == other.health;
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return service + "/" + id + "@" + address() + (health == HealthStatus.HEALTHY ? "" : " " + health);
  }

  /** Builds a {@link ServiceInstance}; each value is checked when it is set. */
  public static final class Builder {
    private final String service;
    private final String id;
    private String namespace = DEFAULT_NAMESPACE;
    private String host;
    private int port;
    private int weight = 1;
    private Map<String, String> labels = Map.of();
    private HealthStatus health = HealthStatus.HEALTHY;

    private Builder(String service, String id) {
      this.service = Names.checkName("service", service);
      this.id = Names.checkToken("id", id);
    }

    /** The namespace. */
    public Builder namespace(String namespace) {
      this.namespace = Names.checkName("namespace", namespace);
      return this;
    }

    /** The host name or IP address. */
    public Builder host(String host) {
      this.host = Names.checkToken("host", host);
      return this;
    }

    /** The port, 1..65535. */
    public Builder port(int port) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port: " + port + " (expected: 1..65535)");
      }
      this.port = port;
      return this;
    }

    /** The weight, 0..{@value ServiceInstance#MAX_WEIGHT}; 0 drains the instance. */
    public Builder weight(int weight) {
      if (weight < 0 || weight > MAX_WEIGHT) {
        throw new IllegalArgumentException("weight: " + weight + " (expected: 0.." + MAX_WEIGHT + ")");
      }
      this.weight = weight;
      return this;
    }

    /** Replaces the labels. */
    public Builder labels(Map<String, String> labels) {
      Map<String, String> copy = new LinkedHashMap<>();
      labels.forEach((key, value) -> {
        if (key == null || key.isEmpty() || value == null) {
          throw new IllegalArgumentException("labels: '" + key + "'='" + value
              + "' (expected: a non-empty key and a non-null value)");
        }
        copy.put(key, value);
      });
      this.labels = Collections.unmodifiableMap(copy);
      return this;
    }

    /** Adds one label. */
    public Builder label(String key, String value) {
      Map<String, String> copy = new LinkedHashMap<>(labels);
      copy.put(key, value);
      return labels(copy);
    }

    /** The health. */
    public Builder health(HealthStatus health) {
      this.health = Objects.requireNonNull(health, "health");
      return this;
    }

    /** The instance; fails if host or port is missing. */
    public ServiceInstance build() {
      if (host == null) {
        throw new IllegalArgumentException("host: missing for instance " + service + "/" + id
            + " (expected: a host name or IP address)");
      }
      if (port == 0) {
        throw new IllegalArgumentException("port: missing for instance " + service + "/" + id
            + " (expected: 1..65535)");
      }
      return new ServiceInstance(this);
    }
  }
}
