package io.meshwork.config;

import io.meshwork.policy.ServicePolicy;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.security.AuthorizationPolicy;
import io.meshwork.security.MtlsMode;
import io.meshwork.telemetry.TelemetryConfig;
import io.meshwork.security.RuleAction;
import io.meshwork.traffic.InboundRateLimit;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The whole policy of a mesh as one immutable value: the policy of each destination service (its
 * subsets, routes, rate limit, timeouts, retries, breakers, balancer), the default policy, who may
 * call this mesh's servers, their inbound rate limit, and the mTLS mode. It comes from code
 * ({@link #builder()}), a {@code mesh.yaml}, etcd or the control plane, and is
 * changed at run time with {@code Mesh.apply}.
 *
 * <p>As a file ({@link #parseYaml(String)}, {@link #toYaml()}; the reference is docs/mesh-yaml.md):
 *
 * <pre>{@code
 * services:
 *   user-service:
 *     subsets:
 *       v1: {version: v1}
 *       v2: {version: v2}
 *     routes:
 *       - name: beta
 *         match:
 *           - headers: {version: beta}
 *         route:
 *           - destination: {service: user-service, subset: v2}
 *     timeout: 2s
 * mtls: STRICT
 * }</pre>
 *
 * @param defaultPolicy the policy of destinations without one of their own
 * @param services the policy of each destination service, by name
 * @param authorization who may call this mesh's servers
 * @param inboundRateLimit the rate limit of this mesh's servers, or null for none
 * @param mtls the mTLS mode, or null to keep the mode the mesh was built with
 * @param authorizationDefault what happens to a request no authorization rule decides: ALLOW (the
 *     default, as Istio: every request is allowed until rules exist, and {@code authorization}'s own
 *     evaluation decides once they do) or DENY (as the seeds' control plane: a request no ALLOW rule
 *     matches is denied, with or without rules)
 * @param telemetry what the mesh records, or null to keep what it was built with; tracing and the
 *     access log change at run time, the metrics' shape does not
 */
public record MeshConfig(ServicePolicy defaultPolicy, Map<String, ServicePolicy> services,
    AuthorizationPolicy authorization, InboundRateLimit inboundRateLimit, MtlsMode mtls,
    RuleAction authorizationDefault, TelemetryConfig telemetry) {

  private static final MeshConfig DEFAULTS = builder().build();

  /** Checks every field and copies the map, keeping its order. */
  public MeshConfig {
    Objects.requireNonNull(defaultPolicy, "defaultPolicy");
    Objects.requireNonNull(authorization, "authorization");
    Objects.requireNonNull(authorizationDefault, "authorizationDefault");
    Map<String, ServicePolicy> copy = new LinkedHashMap<>();
    services.forEach((name, policy) -> copy.put(ServiceInstance.checkName("services", name),
        Objects.requireNonNull(policy, "services." + name)));
    services = Collections.unmodifiableMap(copy);
  }

  /** A config whose requests no authorization rule decides are allowed (the default). */
  public MeshConfig(ServicePolicy defaultPolicy, Map<String, ServicePolicy> services,
      AuthorizationPolicy authorization, InboundRateLimit inboundRateLimit, MtlsMode mtls) {
    this(defaultPolicy, services, authorization, inboundRateLimit, mtls, RuleAction.ALLOW, null);
  }

  /**
   * Reads a {@code mesh.yaml} document. The whole document is checked before anything is made: an
   * unknown field, a value of the wrong type or out of range, a route to a subset its service does
   * not declare, two routes of one name, weights that sum to 0, a regex that does not compile... each
   * is reported with its line, column, field path, the value and what was expected, all at once.
   * An empty document is {@link #defaults()}.
   *
   * @throws InvalidConfigException naming every error of the document
   */
  public static MeshConfig parseYaml(String yaml) {
    return parseYaml(yaml, null);
  }

  /**
   * Like {@link #parseYaml(String)}, naming the document {@code source} (a file, an etcd key) in
   * errors.
   */
  public static MeshConfig parseYaml(String yaml, String source) {
    return MeshYaml.read(yaml, source);
  }

  /**
   * Reads several {@code mesh.yaml} documents as one config, as the etcd source does with the keys
   * under a prefix: each document is a mapping; their {@code services:} are put together (a service
   * in two documents is an error), and every other field may be set by one document only. Every error
   * names the document it is in.
   *
   * @param documents the documents by name (an etcd key, a file), read in the map's order
   * @param source what the documents are together, for the exception's message, such as a prefix
   * @throws InvalidConfigException naming every error of every document
   */
  public static MeshConfig parseYaml(Map<String, String> documents, String source) {
    return MeshYaml.readAll(documents, source);
  }

  /**
   * This config as a {@code mesh.yaml} document that {@link #parseYaml(String)} reads back equal.
   * Fields at their defaults are left out.
   *
   * @throws IllegalStateException naming each part that YAML cannot hold: a balancer given as a
   *     lambda rather than a {@code LoadBalancerSpec}, decorators (code only)
   */
  public String toYaml() {
    return MeshYaml.write(this);
  }

  /**
   * The JSON Schema (draft-07) of {@code mesh.yaml}, made from the description the reader uses: the
   * text docs/mesh.schema.json publishes, for editors and tools that check files before they ship.
   */
  public static String jsonSchema() {
    return SchemaDocument.json();
  }

  /** Default policies, no service of its own, everyone allowed, no inbound limit. */
  public static MeshConfig defaults() {
    return DEFAULTS;
  }

  /** A builder that starts from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder that starts from this config. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.defaultPolicy = defaultPolicy;
    b.services.putAll(services);
    b.authorization = authorization;
    b.inboundRateLimit = inboundRateLimit;
    b.mtls = mtls;
    b.telemetry = telemetry;
    b.authorizationDefault = authorizationDefault;
    return b;
  }

  /** The policy of calls to {@code service}. */
  public ServicePolicy policyFor(String service) {
    ServicePolicy own = services.get(service);
    return own != null ? own : defaultPolicy;
  }

  /** Builds a {@link MeshConfig}. */
  public static final class Builder {
    private ServicePolicy defaultPolicy = ServicePolicy.defaults();
    private final Map<String, ServicePolicy> services = new LinkedHashMap<>();
    private AuthorizationPolicy authorization = AuthorizationPolicy.allowAll();
    private InboundRateLimit inboundRateLimit;
    private MtlsMode mtls;
    private TelemetryConfig telemetry;
    private RuleAction authorizationDefault = RuleAction.ALLOW;

    private Builder() {}

    /** The policy of destinations without one of their own. */
    public Builder defaultPolicy(ServicePolicy value) {
      this.defaultPolicy = Objects.requireNonNull(value, "defaultPolicy");
      return this;
    }

    /** The policy of calls to {@code service}. */
    public Builder service(String service, ServicePolicy policy) {
      services.put(ServiceInstance.checkName("services", service), Objects.requireNonNull(policy, "policy"));
      return this;
    }

    /** Removes the policy of {@code service}; it falls back to the default policy. */
    public Builder removeService(String service) {
      services.remove(service);
      return this;
    }

    /** Who may call this mesh's servers. */
    public Builder authorization(AuthorizationPolicy value) {
      this.authorization = Objects.requireNonNull(value, "authorization");
      return this;
    }

    /** The rate limit of this mesh's servers; null for none. */
    public Builder inboundRateLimit(InboundRateLimit value) {
      this.inboundRateLimit = value;
      return this;
    }

    /** What the mesh records; null to keep what it was built with. */
    public Builder telemetry(TelemetryConfig value) {
      this.telemetry = value;
      return this;
    }

    /** The mTLS mode; null to keep the mode the mesh was built with. */
    public Builder mtls(MtlsMode value) {
      this.mtls = value;
      return this;
    }

    /**
     * What happens to a request no authorization rule decides: {@link RuleAction#ALLOW} (the default)
     * or {@link RuleAction#DENY}.
     */
    public Builder authorizationDefault(RuleAction value) {
      this.authorizationDefault = Objects.requireNonNull(value, "authorizationDefault");
      return this;
    }

    /** The config. */
    public MeshConfig build() {
      return new MeshConfig(defaultPolicy, services, authorization, inboundRateLimit, mtls,
          authorizationDefault, telemetry);
    }
  }
}
