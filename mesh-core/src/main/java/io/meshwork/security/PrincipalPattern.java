package io.meshwork.security;

/**
 * One compiled {@code from} principal of a rule: any authenticated peer, one exact identity, or a
 * prefix or suffix of the SPIFFE ID. Matching walks the identity's parts in place, so it never
 * builds the SPIFFE ID string on the hot path.
 */
final class PrincipalPattern {

  private static final String SCHEME = "spiffe://";

  private enum Kind { ANY, EXACT, PREFIX, SUFFIX }

  private final Kind kind;
  private final WorkloadIdentity exact;
  private final String affix;

  private PrincipalPattern(Kind kind, WorkloadIdentity exact, String affix) {
    this.kind = kind;
    this.exact = exact;
    this.affix = affix;
  }

  /** Compiles a principal that {@link AuthorizationRule} has already validated. */
  static PrincipalPattern compile(String principal) {
    if (principal.equals("*")) {
      return new PrincipalPattern(Kind.ANY, null, null);
    }
    if (principal.startsWith("*")) {
      return new PrincipalPattern(Kind.SUFFIX, null, principal.substring(1));
    }
    if (principal.endsWith("*")) {
      return new PrincipalPattern(Kind.PREFIX, null, principal.substring(0, principal.length() - 1));
    }
    if (principal.startsWith(SCHEME)) {
      return new PrincipalPattern(Kind.EXACT, WorkloadIdentity.parse(principal), null);
    }
    // The short form <namespace>/<service>: that workload in whichever trust domain the roots trust.
    int slash = principal.indexOf('/');
    return new PrincipalPattern(Kind.SUFFIX, null,
        "/ns/" + principal.substring(0, slash) + "/sa/" + principal.substring(slash + 1));
  }

  boolean matches(WorkloadIdentity peer) {
    switch (kind) {
      case ANY: return true;
      case EXACT: return exact.equals(peer);
      case PREFIX: return startsWith(peer, affix);
      default: return endsWith(peer, affix);
    }
  }

  /** Whether {@code spiffe://td/ns/<ns>/sa/<service>} starts with {@code prefix}. */
  static boolean startsWith(WorkloadIdentity id, String prefix) {
    int at = 0;
    at = forward(SCHEME, prefix, at);
    at = forward(id.trustDomain(), prefix, at);
    at = forward("/ns/", prefix, at);
    at = forward(id.namespace(), prefix, at);
    at = forward("/sa/", prefix, at);
    at = forward(id.service(), prefix, at);
    return at == prefix.length();
  }

  /** Whether {@code spiffe://td/ns/<ns>/sa/<service>} ends with {@code suffix}. */
  static boolean endsWith(WorkloadIdentity id, String suffix) {
    int end = suffix.length();
    end = backward(id.service(), suffix, end);
    end = backward("/sa/", suffix, end);
    end = backward(id.namespace(), suffix, end);
    end = backward("/ns/", suffix, end);
    end = backward(id.trustDomain(), suffix, end);
    end = backward(SCHEME, suffix, end);
    return end == 0;
  }

  /** Matches {@code part} against {@code prefix} from {@code at}; the new position, or -1 on a mismatch. */
  private static int forward(String part, String prefix, int at) {
    if (at < 0 || at == prefix.length()) {
      return at;
    }
    int n = Math.min(part.length(), prefix.length() - at);
    return prefix.regionMatches(at, part, 0, n) ? at + n : -1;
  }

  /** Matches the end of {@code part} against {@code suffix} before {@code end}; -1 on a mismatch. */
  private static int backward(String part, String suffix, int end) {
    if (end <= 0) {
      return end;
    }
    int n = Math.min(part.length(), end);
    return suffix.regionMatches(end - n, part, part.length() - n, n) ? end - n : -1;
  }
}
