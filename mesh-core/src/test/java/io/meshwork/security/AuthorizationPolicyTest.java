package io.meshwork.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** The authorization matrix: who may call what under which rules. */
class AuthorizationPolicyTest {

  private static final WorkloadIdentity FRONTEND = WorkloadIdentity.of("cluster.local", "prod", "frontend");
  private static final WorkloadIdentity BILLING = WorkloadIdentity.of("cluster.local", "prod", "billing");
  private static final WorkloadIdentity DEV_FRONTEND = WorkloadIdentity.of("cluster.local", "dev", "frontend");
  private static final WorkloadIdentity OTHER_DOMAIN = WorkloadIdentity.of("other.org", "prod", "frontend");
  private static final WorkloadIdentity PLAINTEXT = null;

  @Test
  void noRulesAllowsEveryoneEvenPlaintext() {
    AuthorizationPolicy policy = AuthorizationPolicy.allowAll();

    assertThat(policy.evaluate(FRONTEND, "DELETE", "/anything").isAllowed()).isTrue();
    assertThat(policy.evaluate(PLAINTEXT, "GET", "/anything")).isSameAs(AuthorizationPolicy.ALLOWED_NO_RULES);
    assertThat(AuthorizationPolicy.of().evaluate(PLAINTEXT, "GET", "//x/../y").isAllowed()).isTrue();
  }

  @Test
  void denyBeatsAllowWhateverTheOrder() {
    AuthorizationPolicy policy = AuthorizationPolicy.of(
        AuthorizationRule.allow("*").named("everyone"),
        AuthorizationRule.deny("prod/billing").named("not-billing"));

    Decision decision = policy.evaluate(BILLING, "GET", "/");

    assertThat(decision.isDenied()).isTrue();
    assertThat(decision.rule()).isEqualTo("not-billing");
    assertThat(decision.reason()).isEqualTo("denied by rule 'not-billing'");
    assertThat(policy.evaluate(FRONTEND, "GET", "/").rule()).isEqualTo("everyone");
  }

  @Test
  void withoutAllowRulesAuthenticatedPeersPassAndPlaintextDoesNot() {
    AuthorizationPolicy policy = AuthorizationPolicy.of(AuthorizationRule.deny("prod/billing"));

    assertThat(policy.evaluate(FRONTEND, "GET", "/")).isSameAs(AuthorizationPolicy.ALLOWED_AUTHENTICATED);
    assertThat(policy.evaluate(PLAINTEXT, "GET", "/")).isSameAs(AuthorizationPolicy.DENIED_PLAINTEXT);
    assertThat(policy.evaluate(PLAINTEXT, "GET", "/").rule()).isEqualTo(Decision.DEFAULT_RULE);
  }

  @Test
  void onceAllowRulesExistEverythingUnmatchedIsDenied() {
    AuthorizationPolicy policy = AuthorizationPolicy.of(AuthorizationRule.allow("prod/frontend"));

    assertThat(policy.evaluate(FRONTEND, "GET", "/").isAllowed()).isTrue();
    assertThat(policy.evaluate(BILLING, "GET", "/")).isSameAs(AuthorizationPolicy.DENIED_NO_MATCH);
    assertThat(policy.evaluate(PLAINTEXT, "GET", "/")).isSameAs(AuthorizationPolicy.DENIED_PLAINTEXT);
  }

  @Test
  void aRuleWithoutPeersCoversPlaintextToo() {
    AuthorizationPolicy policy = AuthorizationPolicy.of(
        AuthorizationRule.allow().toPaths("/healthz").named("probes"),
        AuthorizationRule.allow("prod/frontend"));

    assertThat(policy.evaluate(PLAINTEXT, "GET", "/healthz").rule()).isEqualTo("probes");
    assertThat(policy.evaluate(PLAINTEXT, "GET", "/orders").isDenied()).isTrue();
    assertThat(policy.evaluate(FRONTEND, "GET", "/orders").isAllowed()).isTrue();
  }

  @Test
  void principalsMatchExactlyByPrefixBySuffixAndByShortForm() {
    assertAllowed(AuthorizationRule.allow("spiffe://cluster.local/ns/prod/sa/frontend"), FRONTEND);
    assertAllowed(AuthorizationRule.allow("spiffe://cluster.local/ns/prod/*"), FRONTEND, BILLING);
    assertAllowed(AuthorizationRule.allow("*/sa/frontend"), FRONTEND, DEV_FRONTEND, OTHER_DOMAIN);
    assertAllowed(AuthorizationRule.allow("prod/frontend"), FRONTEND, OTHER_DOMAIN);
    assertAllowed(AuthorizationRule.allow("*"), FRONTEND, BILLING, DEV_FRONTEND, OTHER_DOMAIN);
    assertAllowed(AuthorizationRule.allow("spiffe://cluster.local/ns/prod/sa/front*"), FRONTEND);
  }

  @Test
  void namespacesNarrowPeersAndCombineWithPrincipals() {
    assertAllowed(AuthorizationRule.allow().fromNamespaces("prod"), FRONTEND, BILLING, OTHER_DOMAIN);
    assertAllowed(AuthorizationRule.allow("*/sa/frontend").fromNamespaces("dev"), DEV_FRONTEND);
    assertAllowed(AuthorizationRule.allow().fromNamespaces("prod", "dev"), FRONTEND, BILLING, DEV_FRONTEND, OTHER_DOMAIN);
    assertThat(AuthorizationPolicy.of(AuthorizationRule.allow().fromNamespaces("prod"))
        .evaluate(PLAINTEXT, "GET", "/").isDenied()).isTrue();
  }

  /** Under a policy of just {@code rule}, exactly {@code allowed} among the four test peers get through. */
  private static void assertAllowed(AuthorizationRule rule, WorkloadIdentity... allowed) {
    AuthorizationPolicy policy = AuthorizationPolicy.of(rule);
    for (WorkloadIdentity peer : new WorkloadIdentity[] {FRONTEND, BILLING, DEV_FRONTEND, OTHER_DOMAIN}) {
      boolean expected = java.util.Arrays.asList(allowed).contains(peer);
      assertThat(policy.evaluate(peer, "GET", "/").isAllowed()).as(rule.name() + " for " + peer).isEqualTo(expected);
    }
  }

  @Test
  void methodsMatchExactlyAndUnknownMethodsOnlyMatchAnyMethod() {
    AuthorizationPolicy policy = AuthorizationPolicy.of(AuthorizationRule.allow("*").withMethods("GET", "HEAD"));

    assertThat(policy.evaluate(FRONTEND, "GET", "/").isAllowed()).isTrue();
    assertThat(policy.evaluate(FRONTEND, "HEAD", "/").isAllowed()).isTrue();
    assertThat(policy.evaluate(FRONTEND, "POST", "/").isAllowed()).isFalse();
    assertThat(policy.evaluate(FRONTEND, "get", "/").isAllowed()).isFalse();
    assertThat(policy.evaluate(FRONTEND, "PROPFIND", "/").isAllowed()).isFalse();
    assertThat(AuthorizationPolicy.of(AuthorizationRule.allow("*")).evaluate(FRONTEND, "PROPFIND", "/").isAllowed())
        .isTrue();
  }

  @Test
  void pathsMatchExactlyOrByPrefixIgnoringTheQuery() {
    AuthorizationPolicy policy = AuthorizationPolicy.of(
        AuthorizationRule.deny("*").toPaths("/admin/*", "/debug").named("private"),
        AuthorizationRule.allow("*").toPaths("/api*", "/").named("public"));

    assertThat(policy.evaluate(FRONTEND, "GET", "/admin").rule()).as("the subtree's root").isEqualTo("private");
    assertThat(policy.evaluate(FRONTEND, "GET", "/admin/").rule()).isEqualTo("private");
    assertThat(policy.evaluate(FRONTEND, "GET", "/admin/users/1").rule()).isEqualTo("private");
    assertThat(policy.evaluate(FRONTEND, "GET", "/admin?x=1").rule()).isEqualTo("private");
    assertThat(policy.evaluate(FRONTEND, "GET", "/debug#top")).as("a fragment is never part of a request")
        .isSameAs(AuthorizationPolicy.DENIED_PATH);
    assertThat(policy.evaluate(FRONTEND, "GET", "/debug/x")).isSameAs(AuthorizationPolicy.DENIED_NO_MATCH);
    assertThat(policy.evaluate(FRONTEND, "GET", "/administrator")).isSameAs(AuthorizationPolicy.DENIED_NO_MATCH);
    assertThat(policy.evaluate(FRONTEND, "GET", "/api").rule()).isEqualTo("public");
    assertThat(policy.evaluate(FRONTEND, "GET", "/api2/x?y").rule()).isEqualTo("public");
    assertThat(policy.evaluate(FRONTEND, "GET", "/?q=1").rule()).isEqualTo("public");
  }

  @Test
  void pathsThatCouldDodgeARuleAreDenied() {
    AuthorizationPolicy policy = AuthorizationPolicy.of(
        AuthorizationRule.deny("*").toPaths("/admin/*"), AuthorizationRule.allow("*"));

    for (String path : new String[] {"/api/../admin/x", "//admin", "/./admin", "/api/..", "/%2e%2e/admin",
        "/admin%2Fx", "/api\\..\\admin", "admin", "", "*"}) {
      assertThat(policy.evaluate(FRONTEND, "GET", path)).as(path).isSameAs(AuthorizationPolicy.DENIED_PATH);
    }
    assertThat(policy.evaluate(FRONTEND, "GET", "/api/x/?a=/../b").isAllowed()).as("the query is not the path").isTrue();
    assertThat(policy.evaluate(FRONTEND, "GET", "/a%20b/.well-known/x").isAllowed()).isTrue();
    assertThat(AuthorizationPolicy.of(AuthorizationRule.allow("*")).evaluate(FRONTEND, "GET", "//x").isAllowed())
        .as("without path rules, paths are not inspected").isTrue();
  }

  @Test
  void evaluationAllocatesNothing() {
    AuthorizationPolicy policy = AuthorizationPolicy.of(
        AuthorizationRule.deny("*/sa/billing").toPaths("/admin/*"),
        AuthorizationRule.allow("spiffe://cluster.local/ns/prod/*").withMethods("GET", "POST").toPaths("/api/*"),
        AuthorizationRule.allow("dev/frontend").fromNamespaces("dev"));
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().getId();
    int allowed = 0;
    for (int round = 0; round < 3; round++) {
      long before = threads.getThreadAllocatedBytes(tid);
      for (int i = 0; i < 100_000; i++) {
        allowed += policy.evaluate(FRONTEND, "GET", "/api/orders?id=1").isAllowed() ? 1 : 0;
        allowed += policy.evaluate(BILLING, "POST", "/admin/x").isAllowed() ? 1 : 0;
        allowed += policy.evaluate(DEV_FRONTEND, "DELETE", "/x").isAllowed() ? 1 : 0;
        allowed += policy.evaluate(PLAINTEXT, "GET", "/api/x").isAllowed() ? 1 : 0;
      }
      long allocated = threads.getThreadAllocatedBytes(tid) - before;
      if (round == 2) {
        // A few hundred bytes are the measurement's own; one object per evaluation would be megabytes.
        assertThat(allocated).as("bytes allocated by 400,000 evaluations").isLessThan(4_096);
      }
    }
    assertThat(allowed).isEqualTo(3 * 200_000);
  }

  @Test
  void rulesKeepTheirOrderAndPoliciesCompareByRules() {
    AuthorizationRule a = AuthorizationRule.allow("prod/a");
    AuthorizationRule b = AuthorizationRule.deny("prod/b");

    assertThat(AuthorizationPolicy.of(a, b).rules()).containsExactly(a, b);
    assertThat(AuthorizationPolicy.of(a, b)).isEqualTo(AuthorizationPolicy.builder().rule(a).rule(b).build());
    assertThat(AuthorizationPolicy.of(a, b).hashCode()).isEqualTo(AuthorizationPolicy.of(a, b).hashCode());
  }

  @Test
  void refusesANullMethodOrPath() {
    AuthorizationPolicy policy = AuthorizationPolicy.of(AuthorizationRule.allow("*"));

    assertThatThrownBy(() -> policy.evaluate(FRONTEND, null, "/")).hasMessage("method");
    assertThatThrownBy(() -> policy.evaluate(FRONTEND, "GET", null)).hasMessage("path");
  }
}
