package io.meshwork.fleet.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The request bodies' checks: each bad field is named, with its value and what was expected. */
class RequestRecordsTest {

  private static void fails(Runnable check, String field, String value, String expected) {
    assertThatThrownBy(check::run).isInstanceOfSatisfying(FieldError.class, e -> {
      assertThat(e.field()).isEqualTo(field);
      assertThat(e.value()).isEqualTo(value);
      assertThat(e.expected()).contains(expected);
    });
  }

  private static Registration registration(String id, String service, String namespace, String ip, Integer port,
      String protocol, String path, Integer weight) {
    return new Registration(id, service, namespace, ip, port, protocol, path, weight, Map.of("version", "v1"));
  }

  @Test
  void aRegistrationGetsItsDefaults() {
    Registration checked = registration(null, "user-service", null, "127.0.0.2", 8080, null, null, null).checked();
    assertThat(checked.id()).isEqualTo("127.0.0.2:8080");
    assertThat(checked.namespace()).isEqualTo("default");
    assertThat(checked.protocol()).isEqualTo("http");
    assertThat(checked.weight()).isEqualTo(1);
  }

  @Test
  void eachBadRegistrationFieldIsNamed() {
    fails(() -> registration("a", null, null, "127.0.0.1", 1, null, null, null).checked(), "service_name", null, "letters");
    fails(() -> registration("a", "-bad", null, "127.0.0.1", 1, null, null, null).checked(), "service_name", "-bad", "letters");
    fails(() -> registration("a", "s", "a b", "127.0.0.1", 1, null, null, null).checked(), "namespace", "a b", "letters");
    fails(() -> registration("a", "s", null, "10.0.0.256", 1, null, null, null).checked(), "ip", "10.0.0.256", "IPv4 or IPv6");
    fails(() -> registration("a", "s", null, "host.example", 1, null, null, null).checked(), "ip", "host.example", "IPv4");
    fails(() -> registration("a", "s", null, "127.0.0.1", 0, null, null, null).checked(), "port", "0", "1..65535");
    fails(() -> registration("a", "s", null, "127.0.0.1", null, null, null, null).checked(), "port", null, "1..65535");
    fails(() -> registration("a", "s", null, "127.0.0.1", 1, "tcp", null, null).checked(), "protocol", "tcp", "http");
    fails(() -> registration("a", "s", null, "127.0.0.1", 1, null, "health", null).checked(), "health_check_path", "health", "'/'");
    fails(() -> registration("a", "s", null, "127.0.0.1", 1, null, null, -1).checked(), "weight", "-1", "0..1000000");
    fails(() -> registration("a/b", "s", null, "127.0.0.1", 1, null, null, null).checked(), "id", "a/b", "'/'");
  }

  @Test
  void eachBadTrafficRuleFieldIsNamed() {
    fails(() -> new TrafficRule(null, null, null, Map.of("bad header", "x"), null, null, null, null, null, null, null,
        null).checked("r", "default", "s"), "match_headers", "bad header", "token");
    fails(() -> new TrafficRule(null, null, null, null, "api", null, null, null, null, null, null, null)
        .checked("r", "default", "s"), "match_path", "api", "'/'");
    fails(() -> new TrafficRule(null, null, null, null, null, "FETCH", null, null, null, null, null, null)
        .checked("r", "default", "s"), "match_method", "FETCH", "GET");
    fails(() -> new TrafficRule(null, null, null, null, null, null, "bad name", null, null, null, null, null)
        .checked("r", "default", "s"), "destination_service", "bad name", "letters");
    fails(() -> new TrafficRule(null, null, null, null, null, null, null, "v 2", null, null, null, null)
        .checked("r", "default", "s"), "destination_subset", "v 2", "letters");
    fails(() -> new TrafficRule(null, null, null, null, null, null, null, null, 101, null, null, null)
        .checked("r", "default", "s"), "weight", "101", "1..100");
    fails(() -> new TrafficRule(null, null, null, null, null, null, null, null, null, "5", null, null)
        .checked("r", "default", "s"), "timeout", "5", "duration");
    fails(() -> new TrafficRule(null, null, null, null, null, null, null, null, null, null, 11, null)
        .checked("r", "default", "s"), "retry_attempts", "11", "0..10");
    fails(() -> new TrafficRule(null, null, null, null, null, null, null, null, null, null, null,
        new CircuitBreakerSettings(0, null, null, null)).checked("r", "default", "s"), "circuit_breaker.max_requests",
        "0", "1..1000000");
    fails(() -> new TrafficRule(null, null, null, null, null, null, null, null, null, null, null,
        new CircuitBreakerSettings(null, null, null, "soon")).checked("r", "default", "s"),
        "circuit_breaker.open_duration", "soon", "duration");
    fails(() -> new TrafficRule("mine", null, null, null, null, null, null, null, null, null, null, null)
        .checked("r", "default", "s"), "id", "mine", "control plane sets it");
    fails(() -> new TrafficRule(null, "other", null, null, null, null, null, null, null, null, null, null)
        .checked("r", "default", "s"), "namespace", "other", "the namespace in the path");
  }

  @Test
  void eachBadSecurityRuleFieldIsNamed() {
    fails(() -> new SecurityRule(null, null, null, null, "s", null, null, null).checked("r"), "source_service", null, "letters");
    fails(() -> new SecurityRule(null, null, "f", null, null, null, null, null).checked("r"), "destination_service", null, "letters");
    fails(() -> new SecurityRule(null, null, "f", null, "s", List.of("GET", "FETCH"), null, null).checked("r"),
        "allowed_methods[1]", "FETCH", "GET");
    fails(() -> new SecurityRule(null, null, "f", null, "s", null, null, "SOMETIMES").checked("r"), "mtls_mode",
        "SOMETIMES", "STRICT");
    fails(() -> new SecurityRule(null, "*", "f", null, "s", null, null, null).checked("r"), "source_service", "f", "'*'");
    SecurityRule rule = new SecurityRule(null, null, "frontend", null, "users", List.of("get"), null, "strict").checked("r");
    assertThat(rule.allowedMethods()).containsExactly("GET");
    assertThat(rule.mtlsMode()).isEqualTo("STRICT");
    assertThat(rule.requiredJwt()).isFalse();
  }

  @Test
  void eachBadConfigFieldIsNamed() {
    fails(() -> new FleetConfig("forever", null, null, null, null, null, null).checked(), "global_timeout", "forever", "duration");
    fails(() -> new FleetConfig(null, 11, null, null, null, null, null).checked(), "default_retry_attempts", "11", "0..10");
    fails(() -> new FleetConfig(null, null, null, "SOME", null, null, null).checked(), "mtls_mode", "SOME", "STRICT");
    fails(() -> new FleetConfig(null, null, null, null, "best", null, null).checked(), "load_balancer", "best", "round_robin");
    fails(() -> new FleetConfig(null, null, null, null, null, new ObservabilitySettings(null, null, null, 1.5), null)
        .checked(), "observability.sampling_rate", "1.5", "0.0..1.0");
    fails(() -> new FleetConfig(null, null, null, null, null, null, new JwtSettings(null, null, null, null, null, null))
        .checked(), "jwt.issuer", null, "printable");
  }

  @Test
  void durationsReadAndWriteTheApisForm() {
    assertThat(DurationText.parse("t", "250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(DurationText.parse("t", "1.5s")).isEqualTo(Duration.ofMillis(1500));
    assertThat(DurationText.parse("t", "2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(DurationText.parse("t", "1h")).isEqualTo(Duration.ofHours(1));
    assertThat(DurationText.format(Duration.ofSeconds(5))).isEqualTo("5s");
    assertThat(DurationText.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
    fails(() -> DurationText.parse("t", "0s"), "t", "0s", "above zero");
    fails(() -> DurationText.parse("t", "-1s"), "t", "-1s", "duration");
  }
}
