package io.meshwork.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The compiled, allocation-free policy agrees with the obvious string-based reading of the rules. */
class AuthorizationProperties {

  private static final List<WorkloadIdentity> PEERS = List.of(
      WorkloadIdentity.of("cluster.local", "prod", "frontend"),
      WorkloadIdentity.of("cluster.local", "prod", "billing"),
      WorkloadIdentity.of("cluster.local", "dev", "frontend"),
      WorkloadIdentity.of("other.org", "prod", "frontend"),
      WorkloadIdentity.of("cluster.local", "prod-eu", "front"));

  @Property(tries = 1000)
  void policyAgreesWithTheReferenceReading(
      @ForAll("rules") List<AuthorizationRule> rules,
      @ForAll("peers") WorkloadIdentity peer,
      @ForAll("methods") String method,
      @ForAll("paths") String path) {
    Decision decision = AuthorizationPolicy.of(rules).evaluate(peer, method, path);
    ReferenceAuthorization.Outcome expected = ReferenceAuthorization.evaluate(rules, peer, method, path);

    assertThat(decision.isAllowed()).as("allowed").isEqualTo(expected.allowed());
    assertThat(decision.rule()).as("deciding rule")
        .isEqualTo(expected.rule() == null ? Decision.DEFAULT_RULE : expected.rule());
  }

  @Property(tries = 500)
  void aMatchingDenyBeatsAnyAllow(
      @ForAll("rules") List<AuthorizationRule> rules,
      @ForAll("peers") WorkloadIdentity peer,
      @ForAll("methods") String method) {
    String path = "/orders/1";
    List<AuthorizationRule> withDeny = new ArrayList<>(rules);
    withDeny.add(AuthorizationRule.deny().toPaths("/orders/*").named("the-deny"));

    Decision decision = AuthorizationPolicy.of(withDeny).evaluate(peer, method, path);

    assertThat(decision.isDenied()).isTrue();
  }

  @Property(tries = 1000)
  void spiffeIdAffixesMatchWithoutBuildingTheString(
      @ForAll("authenticatedPeers") WorkloadIdentity peer, @ForAll("affixes") String affix) {
    assertThat(PrincipalPattern.startsWith(peer, affix)).as("startsWith " + affix)
        .isEqualTo(peer.spiffeId().startsWith(affix));
    assertThat(PrincipalPattern.endsWith(peer, affix)).as("endsWith " + affix).isEqualTo(peer.spiffeId().endsWith(affix));
  }

  @Provide
  Arbitrary<WorkloadIdentity> peers() {
    return Arbitraries.oneOf(Arbitraries.of(PEERS), Arbitraries.just(null));
  }

  @Provide
  Arbitrary<WorkloadIdentity> authenticatedPeers() {
    return Arbitraries.of(PEERS);
  }

  @Provide
  Arbitrary<String> methods() {
    return Arbitraries.of("GET", "POST", "DELETE", "PATCH", "get", "PROPFIND");
  }

  @Provide
  Arbitrary<String> paths() {
    return Arbitraries.of("/", "/admin", "/admin/", "/admin/users", "/administrator", "/api", "/api/v1?x=1",
        "/api2", "/healthz", "/healthz#frag", "/a//b", "/api/../admin", "/./x", "/x/%2E%2E/y", "/x%2fy", "x",
        "", "/admin?/../", "/%61dmin/x", "/admin/x#f", "/%7Euser", "/%7euser", "/api/%E2%82%AC", "/a;b/c");
  }

  @Provide
  Arbitrary<List<AuthorizationRule>> rules() {
    Arbitrary<List<String>> principals = Arbitraries.of("*", "spiffe://cluster.local/ns/prod/sa/frontend",
        "spiffe://cluster.local/ns/prod/*", "spiffe://cluster.local/ns/prod*", "*/sa/frontend", "*front",
        "prod/frontend", "dev/frontend", "prod/billing").list().ofMaxSize(2);
    Arbitrary<List<String>> namespaces = Arbitraries.of("prod", "dev", "prod-eu").list().ofMaxSize(2);
    Arbitrary<List<String>> paths = Arbitraries.of("/", "/*", "/admin/*", "/admin", "/api*", "/api/*", "/healthz")
        .list().ofMaxSize(2);
    Arbitrary<List<String>> methods = Arbitraries.of("GET", "POST", "DELETE").list().ofMaxSize(2);
    Arbitrary<AuthorizationRule> rule = Combinators.combine(
            Arbitraries.of(RuleAction.values()), principals, namespaces, paths, methods)
        .as((action, p, n, path, m) -> new AuthorizationRule(null, action, p, n, path, m));
    // Unique names, since a policy refuses two rules of one name.
    return rule.list().ofMaxSize(4).map(list -> {
      List<AuthorizationRule> named = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        named.add(list.get(i).named("rule-" + i));
      }
      return named;
    });
  }

  @Provide
  Arbitrary<String> affixes() {
    Arbitrary<String> cuts = Combinators.combine(Arbitraries.of(PEERS), Arbitraries.integers().between(0, 60),
            Arbitraries.of(true, false))
        .as((peer, cut, prefix) -> {
          String id = peer.spiffeId();
          int at = Math.min(cut, id.length());
          return prefix ? id.substring(0, at) : id.substring(id.length() - at);
        });
    return Arbitraries.oneOf(cuts, Arbitraries.strings().withChars("spife:/clustr.ocalnsprodbgf-").ofMaxLength(60));
  }
}
