package io.meshwork.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Building rules: names, narrowing, and every input refused with a message that says what was expected. */
class AuthorizationRuleTest {

  private static final String PRINCIPAL_FORMS = "'*', a SPIFFE ID, a SPIFFE ID prefix ending in '*',"
      + " a suffix starting with '*', or '<namespace>/<service>'";

  @Test
  void fluentFormMapsOntoTheRecord() {
    AuthorizationRule rule = AuthorizationRule.allow("prod/frontend").withMethods("GET", "POST").toPaths("/api/*");

    assertThat(rule).isEqualTo(new AuthorizationRule(null, RuleAction.ALLOW, List.of("prod/frontend"), List.of(),
        List.of("/api/*"), List.of("GET", "POST")));
    assertThat(rule.name()).isEqualTo("allow from prod/frontend GET,POST to /api/*");
  }

  @Test
  void derivedNamesFollowNarrowingButGivenNamesStay() {
    assertThat(AuthorizationRule.deny().name()).isEqualTo("deny from any");
    assertThat(AuthorizationRule.deny().fromNamespaces("dev").name()).isEqualTo("deny from any in dev");
    assertThat(AuthorizationRule.deny("*").named("no-admin").toPaths("/admin/*").withMethods("DELETE").name())
        .isEqualTo("no-admin");
  }

  @Test
  void acceptsEveryPrincipalForm() {
    AuthorizationRule rule = AuthorizationRule.allow("*", "spiffe://cluster.local/ns/prod/sa/api",
        "spiffe://cluster.local/ns/prod/*", "*/sa/api", "prod/api");

    assertThat(rule.principals()).hasSize(5);
  }

  @Test
  void refusesPrincipalsOfNoKnownForm() {
    assertPrincipalRefused("", PRINCIPAL_FORMS);
    assertPrincipalRefused("**", "'*' only at the start or the end; " + PRINCIPAL_FORMS);
    assertPrincipalRefused("*prod*", "'*' only at the start or the end; " + PRINCIPAL_FORMS);
    assertPrincipalRefused("spiffe://cluster.local/ns/*/sa/api", "'*' only at the start or the end; " + PRINCIPAL_FORMS);
    assertPrincipalRefused("prod/*", "a prefix starting with 'spiffe://'; for every peer of a namespace, use namespaces");
    assertPrincipalRefused("spiffe://cluster.local/ns/prod", "spiffe://<trust-domain>/ns/<namespace>/sa/<service>");
    assertPrincipalRefused("frontend", PRINCIPAL_FORMS);
    assertPrincipalRefused("prod/front end", PRINCIPAL_FORMS);
    assertThatThrownBy(() -> AuthorizationRule.allow("ok/svc", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("principals[1]: null (expected: a value)");
  }

  private static void assertPrincipalRefused(String principal, String expected) {
    assertThatThrownBy(() -> AuthorizationRule.allow(principal))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("principals[0]: '" + principal + "' (expected: " + expected + ")");
  }

  @Test
  void refusesPathsThatAreNotAbsoluteNormalizedPatterns() {
    String expected = "a path starting with '/', ending in '*' for a prefix";
    assertThatThrownBy(() -> AuthorizationRule.allow().toPaths("/ok", "admin"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("paths[1]: 'admin' (expected: " + expected + ")");
    assertThatThrownBy(() -> AuthorizationRule.allow().toPaths("/a/*/b"))
        .hasMessage("paths[0]: '/a/*/b' (expected: '*' only at the end; " + expected + ")");
    assertThatThrownBy(() -> AuthorizationRule.allow().toPaths("/a?x=1"))
        .hasMessage("paths[0]: '/a?x=1' (expected: no query or fragment; " + expected + ")");
    assertThatThrownBy(() -> AuthorizationRule.allow().toPaths("/a/../b"))
        .hasMessage("paths[0]: '/a/../b' (expected: '/b', the normalized form requests are matched in)");
    assertThatThrownBy(() -> AuthorizationRule.deny().toPaths("/%61dmin//*"))
        .hasMessage("paths[0]: '/%61dmin//*' (expected: '/admin/*', the normalized form requests are matched in)");
    assertThatThrownBy(() -> AuthorizationRule.deny().toPaths("/a%2Fb"))
        .hasMessageStartingWith("paths[0]: '/a%2Fb' (expected: a path a request can name (path: \"/a%2Fb\" holds an"
            + " encoded '/' at index 2");
    assertThatThrownBy(() -> AuthorizationRule.allow().toPaths(""))
        .hasMessage("paths[0]: '' (expected: " + expected + ")");
  }

  @Test
  void refusesMethodsThatAreNotUpperCaseTokens() {
    String expected = "one of GET, HEAD, POST, PUT, DELETE, CONNECT, OPTIONS, TRACE, PATCH";
    assertThatThrownBy(() -> AuthorizationRule.allow().withMethods("GET", "FETCH"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("methods[1]: 'FETCH' (expected: " + expected + ")");
    assertThatThrownBy(() -> AuthorizationRule.allow().withMethods("get"))
        .hasMessage("methods[0]: 'get' (expected: " + expected + ")");
  }

  @Test
  void refusesBadNamespacesNamesAndActions() {
    assertThatThrownBy(() -> AuthorizationRule.allow().fromNamespaces(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("namespaces[0]: '' (expected: a namespace of letters, digits, '.', '-' and '_')");
    assertThatThrownBy(() -> AuthorizationRule.allow().named(" "))
        .hasMessage("name: ' ' (expected: 1..200 printable characters, not all blank)");
    assertThatThrownBy(() -> AuthorizationRule.allow().named("two\nlines"))
        .hasMessage("name: 'two\nlines' (expected: 1..200 printable characters, not all blank)");
    assertThatThrownBy(() -> new AuthorizationRule("x", null, List.of(), List.of(), List.of(), List.of()))
        .hasMessage("action: null (expected: ALLOW or DENY)");
    assertThatThrownBy(() -> new AuthorizationRule("x", RuleAction.DENY, null, List.of(), List.of(), List.of()))
        .hasMessage("principals: null (expected: a list, empty for any)");
  }

  @Test
  void policyRefusesTwoRulesOfOneNameAndNullRules() {
    assertThatThrownBy(() -> AuthorizationPolicy.of(
            AuthorizationRule.allow("prod/a").named("x"), AuthorizationRule.deny("prod/b").named("x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("rules[1].name: 'x' (expected: a name no other rule has; rules[0] has it)");
    assertThatThrownBy(() -> AuthorizationPolicy.builder().rule(AuthorizationRule.allow()).rule(null))
        .hasMessage("rules[1]: null (expected: a rule)");
  }
}
