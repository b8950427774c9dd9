package io.meshwork.fleet.api;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A traffic rule of one service, in the seeds' fields: calls to {@code service} whose headers, path
 * prefix and method match go to {@code destination_service} (its {@code destination_subset}, the
 * instances labelled {@code version: <subset>}), with the rule's timeout and retries. Rules of one
 * service with the same match form one weighted split (a 90/10 canary is two rules); the first
 * matching rule decides, in the order they were added; a call no rule matches goes to the whole
 * service. The body of {@code POST /api/v1/traffic-rules/{namespace}/{service}}; the server sets
 * {@code id}, {@code namespace} and {@code service}.
 *
 * @param id the rule's id, set by the server
 * @param namespace the service's namespace, from the path
 * @param service the service whose calls the rule routes, from the path
 * @param matchHeaders headers the call must carry with exactly these values
 * @param matchPath a path prefix the call's path must start with
 * @param matchMethod the method the call must have
 * @param destinationService where matching calls go; {@code service} when missing
 * @param destinationSubset the subset of the destination, or null for all of it
 * @param weight the share of matching calls among the rules with the same match, 1..100; 100 when missing
 * @param timeout the deadline of matching calls, such as {@code 2s}; the service's when missing
 * @param retryAttempts retries after the first attempt of matching calls, 0..10; the service's when missing
 * @param circuitBreaker the breaker and limits of calls to {@code service}, or null for its defaults
 */
public record TrafficRule(String id, String namespace, String service, Map<String, String> matchHeaders,
    String matchPath, String matchMethod, String destinationService, String destinationSubset, Integer weight,
    String timeout, Integer retryAttempts, CircuitBreakerSettings circuitBreaker) {

  /** The methods a rule may match. */
  public static final String[] METHODS = {"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"};

  /**
   * This rule checked as the rule {@code id} of {@code namespace/service}, with its defaults filled in.
   *
   * @throws FieldError naming the first bad field
   */
  public TrafficRule checked(String id, String namespace, String service) {
    if (this.id != null) {
      throw new FieldError("id", this.id, "no id: the control plane sets it");
    }
    Checks.name("namespace", namespace);
    Checks.name("service", service);
    if (this.namespace != null && !this.namespace.equals(namespace)) {
      throw new FieldError("namespace", this.namespace, "'" + namespace + "', the namespace in the path, or nothing");
    }
    if (this.service != null && !this.service.equals(service)) {
      throw new FieldError("service", this.service, "'" + service + "', the service in the path, or nothing");
    }
    Map<String, String> headers = new LinkedHashMap<>();
    if (matchHeaders != null) {
      if (matchHeaders.size() > 32) {
        throw new FieldError("match_headers", matchHeaders.size() + " headers", "at most 32");
      }
      matchHeaders.forEach((name, value) -> {
        if (name == null || !name.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,128}")) {
          throw new FieldError("match_headers", name, "header names of 1..128 token characters");
        }
        if (value == null || value.length() > 1024 || value.chars().anyMatch(c -> c < ' ' && c != '\t')) {
          throw new FieldError("match_headers." + name, value, "a header value of 0..1024 printable characters");
        }
        headers.put(name.toLowerCase(Locale.ROOT), value);
      });
    }
    String method = matchMethod == null ? null : Checks.oneOf("match_method", matchMethod, null, METHODS);
    String destination = destinationService == null ? service : Checks.name("destination_service", destinationService);
    String subset = destinationSubset == null ? null : Checks.name("destination_subset", destinationSubset);
    int checkedWeight = Checks.between("weight", weight, 1, 100, 100);
    if (timeout != null) {
      DurationText.parse("timeout", timeout);
    }
    if (retryAttempts != null) {
      Checks.between("retry_attempts", retryAttempts, 0, 10, null);
    }
    CircuitBreakerSettings breaker = null;
    if (circuitBreaker != null) {
      try {
        breaker = circuitBreaker.checked();
      } catch (FieldError e) {
        throw e.under("circuit_breaker");
      }
    }
    return new TrafficRule(Objects.requireNonNull(id, "id"), namespace, service, Map.copyOf(headers),
        Checks.path("match_path", matchPath), method, destination, subset, checkedWeight, timeout, retryAttempts,
        breaker);
  }

  /** Whether {@code other} matches exactly the calls this rule matches: the two then split by weight. */
  public boolean sameMatch(TrafficRule other) {
    return Objects.equals(matchHeaders, other.matchHeaders) && Objects.equals(matchPath, other.matchPath)
        && Objects.equals(matchMethod, other.matchMethod);
  }
}
