package io.meshwork.security;

import java.util.List;

/**
 * The request methods a rule may name, each as one bit, so a rule's method set is an {@code int}
 * and matching is one AND on the hot path.
 */
final class HttpMethods {

  /** The methods of RFC 9110 and PATCH, in upper case as they travel on the wire. */
  static final List<String> TOKENS =
      List.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH");

  private HttpMethods() {}

  /** The bit of {@code method}, or 0 for a method no rule can name (which then only matches "any method"). */
  static int bit(String method) {
    // A string switch uses the cached hash: no allocation per request.
    switch (method) {
      case "GET": return 1;
      case "HEAD": return 1 << 1;
      case "POST": return 1 << 2;
      case "PUT": return 1 << 3;
      case "DELETE": return 1 << 4;
      case "CONNECT": return 1 << 5;
      case "OPTIONS": return 1 << 6;
      case "TRACE": return 1 << 7;
      case "PATCH": return 1 << 8;
      default: return 0;
    }
  }
}
