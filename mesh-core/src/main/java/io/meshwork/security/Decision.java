package io.meshwork.security;

/**
 * The outcome of {@link AuthorizationPolicy#evaluate}: allowed or denied, the rule that decided and a
 * short reason. Decisions are made once per rule when the policy is built, so evaluating allocates
 * nothing; compare them with {@link #isAllowed()}, never by identity.
 */
public final class Decision {

  /** The {@link #rule()} of a decision no rule made, such as the default deny. */
  public static final String DEFAULT_RULE = "(default)";

  private final boolean allowed;
  private final String rule;
  private final String reason;

  Decision(boolean allowed, String rule, String reason) {
    this.allowed = allowed;
    this.rule = rule;
    this.reason = reason;
  }

  static Decision allow(String rule, String reason) {
    return new Decision(true, rule, reason);
  }

  static Decision deny(String rule, String reason) {
    return new Decision(false, rule, reason);
  }

  /** Whether the request may go on to the handler. */
  public boolean isAllowed() {
    return allowed;
  }

  /** Whether the request must be refused (HTTP 403). */
  public boolean isDenied() {
    return !allowed;
  }

  /** The name of the rule that decided, or {@link #DEFAULT_RULE} when no rule did. */
  public String rule() {
    return rule;
  }

  /** Why, in a few words, such as {@code denied by rule 'no-admin'}. */
  public String reason() {
    return reason;
  }

  /**
   * One audit log line for this decision on a request: who called ({@code -} for a plaintext peer),
   * which service, method and path, the rule and the reason. The query is left out, since it often
   * carries secrets ({@code ?access_token=...}). Values are quoted and escaped, so a hostile path
   * cannot forge a line.
   */
  public String auditLine(WorkloadIdentity caller, String service, String method, String path) {
    return "authz " + (allowed ? "allowed" : "denied")
        + " caller=" + JsonText.quote(caller == null ? "-" : caller.spiffeId())
        + " service=" + JsonText.quote(String.valueOf(service))
        + " method=" + JsonText.quote(String.valueOf(method))
        + " path=" + JsonText.quote(path == null ? "null" : path.substring(0, PathNormalizer.endOfPath(path)))
        + " rule=" + JsonText.quote(rule)
        + " reason=" + JsonText.quote(reason);
  }

  @Override
  public String toString() {
    return (allowed ? "allowed" : "denied") + " (" + rule + "): " + reason;
  }
}
