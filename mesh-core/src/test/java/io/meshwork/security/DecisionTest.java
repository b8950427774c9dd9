package io.meshwork.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** How a decision is written to the audit log. */
class DecisionTest {

  private static final WorkloadIdentity FRONTEND = WorkloadIdentity.of("cluster.local", "prod", "frontend");

  private static Decision deniedBy(String ruleName) {
    return AuthorizationPolicy.of(AuthorizationRule.deny("*").named(ruleName)).evaluate(FRONTEND, "GET", "/");
  }

  @Test
  void auditLineNamesCallerServiceMethodPathAndRule() {
    assertThat(deniedBy("no-admin").auditLine(FRONTEND, "orders", "DELETE", "/admin/x"))
        .isEqualTo("authz denied caller=\"spiffe://cluster.local/ns/prod/sa/frontend\" service=\"orders\""
            + " method=\"DELETE\" path=\"/admin/x\" rule=\"no-admin\" reason=\"denied by rule 'no-admin'\"");
    assertThat(AuthorizationPolicy.ALLOWED_NO_RULES.auditLine(null, "orders", "GET", "/"))
        .startsWith("authz allowed caller=\"-\" service=\"orders\"")
        .endsWith("rule=\"(default)\" reason=\"no authorization rules\"");
  }

  @Test
  void auditLineLeavesTheQueryOutSinceItMayCarrySecrets() {
    String line = deniedBy("r").auditLine(null, "orders", "GET", "/public/x?access_token=QUERY-SECRET&a=b");

    assertThat(line).contains("path=\"/public/x\"").doesNotContain("QUERY-SECRET").doesNotContain("access_token");
  }

  @Test
  void aHostilePathCannotForgeAnAuditLine() {
    String line = deniedBy("r").auditLine(null, "orders", "GET", "/x\r\nauthz allowed caller=\"admin\"\u2028");

    assertThat(line).doesNotContain("\n", "\r", "\u2028")
        .contains("path=\"/x\\u000d\\u000aauthz allowed caller=\\\"admin\\\"\\u2028\"");
  }

  @Test
  void auditLogWritesDenialsToTheAuditLogger() {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      AuditLog.record(deniedBy("no-admin"), FRONTEND, "orders", "GET", "/admin");
      AuditLog.record(AuthorizationPolicy.ALLOWED_NO_RULES, FRONTEND, "orders", "GET", "/");
    } finally {
      System.setErr(original);
    }

    assertThat(captured.toString(StandardCharsets.UTF_8))
        .contains(AuditLog.LOGGER_NAME + " - authz denied caller=\"spiffe://cluster.local/ns/prod/sa/frontend\"")
        .as("allows are logged at DEBUG only").doesNotContain("authz allowed");
  }
}
