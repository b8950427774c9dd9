package io.meshwork.security;

/** What an {@link AuthorizationRule} does to the requests it matches. */
public enum RuleAction {

  /** Let the request through, unless a {@link #DENY} rule also matches it. */
  ALLOW,

  /** Refuse the request, whatever the allow rules say. */
  DENY
}
