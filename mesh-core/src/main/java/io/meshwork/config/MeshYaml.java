package io.meshwork.config;

import io.meshwork.security.AuthorizationPolicy;
import io.meshwork.security.AuthorizationRule;
import io.meshwork.security.MtlsMode;
import io.meshwork.security.RuleAction;
import io.meshwork.traffic.InboundRateLimit;
import java.util.List;
import java.util.Map;

/**
 * The top of {@code mesh.yaml}'s description: {@code services:}, {@code defaultPolicy:},
 * {@code authorization:}, {@code inboundRateLimit:} and {@code mtls:}. With the codecs it refers to,
 * it is the one description the reader, the writer, the JSON Schema (docs/mesh.schema.json) and the
 * reference (docs/mesh-yaml.md) all come from.
 */
final class MeshYaml {

  static final ObjectCodec<AuthorizationRule> AUTHORIZATION_RULE = ObjectCodec.<AuthorizationRule>builder(
          "AuthorizationRule", "Which peers, calling what, are allowed or denied. A rule matches when every"
              + " part it sets matches; a rule naming principals or namespaces never matches a plaintext peer.")
      .field("name", Scalars.TEXT, MeshYaml::givenName, "The rule's name in decisions and audit lines;"
          + " derived from the rule when left out.")
      .required("action", KeywordCodec.forEnum(RuleAction.class), AuthorizationRule::action,
          "ALLOW or DENY the requests the rule matches.")
      .fieldWithDefault("principals", ListCodec.of(Scalars.TEXT), AuthorizationRule::principals, List.of(),
          "The peers it covers: '*' (any authenticated peer), a SPIFFE ID, a SPIFFE ID prefix ending in '*',"
              + " a suffix starting with '*', or <namespace>/<service>; any peer when left out.")
      .fieldWithDefault("namespaces", ListCodec.of(Scalars.TEXT), AuthorizationRule::namespaces, List.of(),
          "The peer namespaces it covers; any when left out.")
      .fieldWithDefault("paths", ListCodec.of(Scalars.TEXT), AuthorizationRule::paths, List.of(),
          "Exact paths, or prefixes ending in '*', each starting with '/'; any when left out.")
      .fieldWithDefault("methods", ListCodec.of(Scalars.TEXT), AuthorizationRule::methods, List.of(),
          "Request methods such as GET; any when left out.")
      .build(v -> rule(v.get("name"), v.get("action"), v.get("principals"), v.get("namespaces"),
          v.get("paths"), v.get("methods")));

  static final ObjectCodec<Authorization> AUTHORIZATION = ObjectCodec.<Authorization>builder("Authorization",
          "Who may call this mesh's servers: any matching DENY rule denies; once ALLOW rules exist a"
              + " request must match one.")
      .defaults(new Authorization(RuleAction.ALLOW, AuthorizationPolicy.allowAll()))
      .field("defaultAction", KeywordCodec.forEnum(RuleAction.class), Authorization::defaultAction,
          "What happens to a request no rule decides: ALLOW (allowed until rules exist, as Istio) or DENY"
              + " (denied unless an ALLOW rule matches, as the seeds' control plane).")
      .field("rules", ListCodec.of(AUTHORIZATION_RULE).uniqueBy("name", "rule"),
          authorization -> authorization.policy().rules(), "The rules, in order.")
      .build(v -> new Authorization(v.get("defaultAction"), AuthorizationPolicy.of(v.<List<AuthorizationRule>>get(
          "rules"))));

  static final ObjectCodec<InboundRateLimit> INBOUND_RATE_LIMIT = ObjectCodec.<InboundRateLimit>builder(
          "InboundRateLimit", "Rate limits of the requests this mesh's servers accept; past one, a request"
              + " is answered 429 with Retry-After.")
      .modelPrefix("inboundRateLimit.")
      .field("perCaller", RouteYaml.RATE_LIMIT, InboundRateLimit::perCaller,
          "The limit of each caller (its SPIFFE ID over mTLS, its address otherwise).")
      .field("perServer", RouteYaml.RATE_LIMIT, InboundRateLimit::perServer, "The limit of all callers together.")
      .fieldWithDefault("maxCallers", Scalars.POSITIVE, InboundRateLimit::maxCallers,
          InboundRateLimit.DEFAULT_MAX_CALLERS, "The most callers tracked at once.")
      .build(v -> new InboundRateLimit(v.get("perCaller"), v.get("perServer"), v.get("maxCallers")));

  static final ObjectCodec<MeshConfig> MESH_CONFIG = ObjectCodec.<MeshConfig>builder("MeshConfig",
          "The whole policy of a mesh.")
      .defaults(MeshConfig.defaults())
      .field("services", new MapCodec<>("a service name", Scalars.NAME_PATTERN,
              name -> io.meshwork.registry.ServiceInstance.checkName("services", name),
              ServicePolicyYaml.SERVICE_POLICY, true), MeshConfig::services,
          "The policy of each destination service, by name.")
      .field("defaultPolicy", ServicePolicyYaml.SERVICE_POLICY.within(
              context -> context.ownedBy(Findings.DEFAULT_POLICY)), MeshConfig::defaultPolicy,
          "The policy of destinations that have none of their own under services.")
      .field("authorization", AUTHORIZATION,
          config -> new Authorization(config.authorizationDefault(), config.authorization()),
          "Who may call this mesh's servers.")
      .field("inboundRateLimit", INBOUND_RATE_LIMIT, MeshConfig::inboundRateLimit,
          "Rate limits of this mesh's servers; none when left out.")
      .field("mtls", KeywordCodec.forEnum(MtlsMode.class), MeshConfig::mtls, "The mTLS mode: STRICT,"
          + " PERMISSIVE or DISABLED; the mode the mesh was built with when left out.")
      .field("telemetry", TelemetryYaml.TELEMETRY, MeshConfig::telemetry,
          "What the mesh records; what it was built with when left out.")
      .build(v -> new MeshConfig(v.get("defaultPolicy"), v.get("services"), v.<Authorization>get(
          "authorization").policy(), v.get("inboundRateLimit"), v.get("mtls"),
          v.<Authorization>get("authorization").defaultAction(), v.get("telemetry")));

  private MeshYaml() {}

  static MeshConfig read(String yaml, String source) {
    return YamlDocuments.read(yaml, source, MESH_CONFIG);
  }

  static MeshConfig readAll(Map<String, String> documents, String source) {
    return YamlDocuments.readAll(documents, source, MESH_CONFIG);
  }

  static String write(MeshConfig config) {
    return YamlDocuments.write(config, MESH_CONFIG);
  }

  /** The file's {@code authorization:}: the default action and the rules. */
  record Authorization(RuleAction defaultAction, AuthorizationPolicy policy) {}

  private static AuthorizationRule rule(String name, RuleAction action, List<String> principals,
      List<String> namespaces, List<String> paths, List<String> methods) {
    String[] peers = principals.toArray(String[]::new);
    AuthorizationRule rule = (action == RuleAction.ALLOW ? AuthorizationRule.allow(peers)
        : AuthorizationRule.deny(peers))
        .fromNamespaces(namespaces.toArray(String[]::new))
        .toPaths(paths.toArray(String[]::new))
        .withMethods(methods.toArray(String[]::new));
    return name == null ? rule : rule.named(name);
  }

  /** The rule's name when it was given one; null when it carries the name derived from its parts. */
  private static String givenName(AuthorizationRule rule) {
    AuthorizationRule unnamed = rule(null, rule.action(), rule.principals(), rule.namespaces(), rule.paths(),
        rule.methods());
    return unnamed.name().equals(rule.name()) ? null : rule.name();
  }
}
