package io.meshwork.fleet.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A security rule, in the seeds' fields: {@code source_namespace/source_service} may call
 * {@code destination_namespace/destination_service} with {@code allowed_methods}, over mTLS, and
 * with a valid JWT when {@code required_jwt}. Once any rule names a destination, its servers accept
 * only what some rule allows. The body of {@code POST /api/v1/security-rules}; the server sets {@code id}.
 *
 * @param id the rule's id, set by the server
 * @param sourceNamespace the caller's namespace, or {@code *} for any; {@code default} when missing
 * @param sourceService the caller's service, or {@code *} for any service of the namespace
 * @param destinationNamespace the called service's namespace; {@code default} when missing
 * @param destinationService the called service
 * @param allowedMethods the methods allowed; every method when missing or empty
 * @param requiredJwt whether the caller must also send a valid JWT as {@code Authorization: Bearer}
 * @param mtlsMode the destination's mTLS mode ({@code STRICT}, {@code PERMISSIVE}, {@code DISABLED}), or null
 */
public record SecurityRule(String id, String sourceNamespace, String sourceService, String destinationNamespace,
    String destinationService, List<String> allowedMethods, Boolean requiredJwt, String mtlsMode) {

  /** The mTLS modes a rule or the config may name. */
  public static final String[] MTLS_MODES = {"STRICT", "PERMISSIVE", "DISABLED"};

  /**
   * This rule checked as rule {@code id}, with its defaults filled in.
   *
   * @throws FieldError naming the first bad field
   */
  public SecurityRule checked(String id) {
    if (this.id != null) {
      throw new FieldError("id", this.id, "no id: the control plane sets it");
    }
    String sourceNs = sourceNamespace == null ? "default" : Checks.nameOrAny("source_namespace", sourceNamespace);
    String source = Checks.nameOrAny("source_service", sourceService);
    if ("*".equals(sourceNs) && !"*".equals(source)) {
      throw new FieldError("source_service", source, "'*' when source_namespace is '*'");
    }
    String destinationNs = destinationNamespace == null ? "default"
        : Checks.name("destination_namespace", destinationNamespace);
    String destination = Checks.name("destination_service", destinationService);
    List<String> methods = new ArrayList<>();
    if (allowedMethods != null) {
      for (int i = 0; i < allowedMethods.size(); i++) {
        String method = Checks.oneOf("allowed_methods[" + i + "]", allowedMethods.get(i), null, TrafficRule.METHODS);
        if (!methods.contains(method)) {
          methods.add(method);
        }
      }
    }
    String mode = mtlsMode == null ? null : Checks.oneOf("mtls_mode", mtlsMode.toUpperCase(Locale.ROOT), null, MTLS_MODES);
    return new SecurityRule(id, sourceNs, source, destinationNs, destination, List.copyOf(methods),
        Boolean.TRUE.equals(requiredJwt), mode);
  }

  /** Whether this (checked) rule is about calls to {@code namespace/service}. */
  public boolean protects(String namespace, String service) {
    return destinationNamespace.equals(namespace) && destinationService.equals(service);
  }

  /** Whether the caller {@code namespace/service} (null for a caller without identity) is this rule's source. */
  public boolean coversCaller(String namespace, String service) {
    if ("*".equals(sourceNamespace)) {
      return true;
    }
    return namespace != null && sourceNamespace.equals(namespace) && ("*".equals(sourceService)
        || sourceService.equals(service));
  }
}
