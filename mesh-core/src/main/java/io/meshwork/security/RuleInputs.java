package io.meshwork.security;

import java.util.List;
import java.util.function.Function;

/** The checks on what an {@link AuthorizationRule} is given, each naming the field and the index. */
final class RuleInputs {

  private static final String PRINCIPAL_FORMS = "'*', a SPIFFE ID, a SPIFFE ID prefix ending in '*',"
      + " a suffix starting with '*', or '<namespace>/<service>'";

  private RuleInputs() {}

  /** {@code values}, each checked by {@code check} (which returns null or what was expected), copied. */
  static List<String> check(String field, List<String> values, Function<String, String> check) {
    if (values == null) {
      throw new IllegalArgumentException(field + ": null (expected: a list, empty for any)");
    }
    for (int i = 0; i < values.size(); i++) {
      String value = values.get(i);
      String expected = value == null ? "a value" : check.apply(value);
      if (expected != null) {
        String shown = value == null ? "null" : "'" + value + "'";
        throw new IllegalArgumentException(field + "[" + i + "]: " + shown + " (expected: " + expected + ")");
      }
    }
    return List.copyOf(values);
  }

  static String checkPrincipal(String principal) {
    if (principal.isEmpty() || !isPrintable(principal) || principal.indexOf(' ') >= 0) {
      return PRINCIPAL_FORMS;
    }
    if (principal.equals("*")) {
      return null;
    }
    String inner = principal.substring(principal.startsWith("*") ? 1 : 0,
        principal.length() - (principal.endsWith("*") ? 1 : 0));
    if (inner.isEmpty() || inner.indexOf('*') >= 0 || (principal.startsWith("*") && principal.endsWith("*"))) {
      return "'*' only at the start or the end; " + PRINCIPAL_FORMS;
    }
    if (principal.endsWith("*")) {
      return principal.startsWith("spiffe://") ? null
          : "a prefix starting with 'spiffe://'; for every peer of a namespace, use namespaces";
    }
    if (principal.startsWith("*")) {
      return null;
    }
    if (principal.startsWith("spiffe://")) {
      return isValid(() -> WorkloadIdentity.parse(principal))
          ? null : "spiffe://<trust-domain>/ns/<namespace>/sa/<service>";
    }
    int slash = principal.indexOf('/');
    boolean shortForm = slash > 0 && principal.indexOf('/', slash + 1) < 0
        && isValid(() -> WorkloadIdentity.of("td", principal.substring(0, slash), principal.substring(slash + 1)));
    return shortForm ? null : PRINCIPAL_FORMS;
  }

  static String checkNamespace(String namespace) {
    return isValid(() -> WorkloadIdentity.of("td", namespace, "sa"))
        ? null : "a namespace of letters, digits, '.', '-' and '_'";
  }

  static String checkPath(String path) {
    String expected = "a path starting with '/', ending in '*' for a prefix";
    if (!path.startsWith("/") || !isPrintable(path) || path.indexOf(' ') >= 0) {
      return expected;
    }
    int star = path.indexOf('*');
    if (star >= 0 && star != path.length() - 1) {
      return "'*' only at the end; " + expected;
    }
    if (path.indexOf('?') >= 0 || path.indexOf('#') >= 0) {
      return "no query or fragment; " + expected;
    }
    String matched = star >= 0 ? path.substring(0, star) : path;
    String normalized;
    try {
      normalized = PathNormalizer.normalize(matched);
    } catch (IllegalArgumentException e) {
      return "a path a request can name (" + e.getMessage() + "); " + expected;
    }
    return normalized.equals(matched) ? null
        : "'" + normalized + (star >= 0 ? "*" : "") + "', the normalized form requests are matched in";
  }

  static String checkMethod(String method) {
    return HttpMethods.bit(method) != 0 ? null : "one of " + String.join(", ", HttpMethods.TOKENS);
  }

  /** No control characters: names and patterns end up in log lines and JSON bodies. */
  static boolean isPrintable(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (Character.isISOControl(text.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isValid(Runnable parse) {
    try {
      parse.run();
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
