package io.meshwork.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.CallDecorator;
import io.meshwork.loadbalancer.LoadBalancer;
import io.meshwork.policy.ServicePolicy;
import io.meshwork.traffic.HeaderMatch;
import io.meshwork.traffic.HeaderRewrite;
import io.meshwork.traffic.RouteDestination;
import io.meshwork.traffic.RouteMatch;
import io.meshwork.traffic.RouteRule;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What only code can hold is never written silently: toYaml names every such field. */
class MeshYamlWriterTest {

  @Test
  void aBalancerMadeByALambdaCannotBeWritten() {
    MeshConfig config = MeshConfig.builder()
        .service("user-service", ServicePolicy.builder().loadBalancer(LoadBalancer::roundRobin).build()).build();
    assertThatThrownBy(config::toYaml).isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("cannot write this config as YAML:\n  services.user-service.loadBalancer: a"
            + " Supplier<LoadBalancer> given in code (")
        .hasMessageEndingWith(") cannot be written to YAML (expected: a LoadBalancerSpec, such as"
            + " LoadBalancerSpec.roundRobin())");
  }

  @Test
  void decoratorsAreCodeOnlyAndEveryProblemIsNamedAtOnce() {
    CallDecorator decorator = (service, request, next) -> next.proceed(request);
    MeshConfig config = MeshConfig.builder()
        .defaultPolicy(ServicePolicy.builder().decorator(decorator).build())
        .service("a", ServicePolicy.builder().decorator(decorator).decorator(decorator)
            .loadBalancer(() -> LoadBalancer.random()).build())
        .build();
    assertThatThrownBy(config::toYaml).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("\n  services.a.decorators: 2 CallDecorator(s) given in code cannot be written to"
            + " YAML (expected: none; decorators are code only, add them with MeshBuilder.decorator or"
            + " ServicePolicy.Builder.decorator)")
        .hasMessageContaining("\n  services.a.loadBalancer: a Supplier<LoadBalancer> given in code")
        .hasMessageContaining("\n  defaultPolicy.decorators: 1 CallDecorator(s) given in code");
  }

  @Test
  void twoMatchesOfOneHeaderCannotBeWrittenAsTheFilesMap() {
    RouteRule rule = RouteRule.builder("r")
        .match(RouteMatch.builder().header(HeaderMatch.prefix("x-a", "1")).header(HeaderMatch.regex("X-A", ".*2"))
            .build())
        .destination(RouteDestination.of("a")).build();
    MeshConfig config = MeshConfig.builder().service("a", ServicePolicy.builder().route(rule).build()).build();
    assertThatThrownBy(config::toYaml).hasMessage("cannot write this config as YAML:\n  services.a.routes[0]"
        + ".match[0].headers: two matches of header 'x-a' (expected: one per header in a file; join them in one"
        + " regex, or use two matches)");
  }

  @Test
  void aHeaderAddedTwiceCannotBeWrittenAsTheFilesMap() {
    RouteRule rule = RouteRule.builder("r").destination(RouteDestination.of("a"))
        .requestHeaders(HeaderRewrite.builder().add("x-a", "1").add("x-a", "2").build()).build();
    MeshConfig config = MeshConfig.builder().service("a", ServicePolicy.builder().route(rule).build()).build();
    assertThatThrownBy(config::toYaml).hasMessage("cannot write this config as YAML:\n  services.a.routes[0]"
        + ".headers.request.add: header 'x-a' is added twice (expected: once per name in a file)");
  }

  @Test
  void fieldsAtTheirDefaultsAreLeftOutAndTheDefaultsReadBack() {
    assertThat(MeshConfig.defaults().toYaml()).isEqualTo("{}\n");
    assertThat(MeshConfig.parseYaml("")).isEqualTo(MeshConfig.defaults());
    assertThat(MeshConfig.parseYaml("# nothing but a comment\n")).isEqualTo(MeshConfig.defaults());
    assertThat(MeshConfig.parseYaml("services: {a: {}}").policyFor("a")).isEqualTo(ServicePolicy.defaults());
    MeshConfig config = MeshConfig.builder()
        .service("a", ServicePolicy.builder().timeout(Duration.ofMillis(1500)).build()).build();
    assertThat(config.toYaml()).isEqualTo("services:\n  a: {timeout: 1500ms}\n");
  }

  @Test
  void durationsAreWrittenInTheLargestUnitThatHoldsThemExactly() {
    assertThat(Durations.format(Duration.ofMillis(250))).isEqualTo("250ms");
    assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("90s");
    assertThat(Durations.format(Duration.ofMinutes(2))).isEqualTo("2m");
    assertThat(Durations.format(Duration.ofHours(3))).isEqualTo("3h");
    assertThat(Durations.format(Duration.ofNanos(1500))).isEqualTo("1500ns");
    assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
    assertThat(Durations.parse("1m30s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(Durations.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
    assertThat(Durations.parse("2h3m4s5ms6us7ns")).isEqualTo(Duration.ofHours(2).plusMinutes(3).plusSeconds(4)
        .plusMillis(5).plusNanos(6007));
    assertThat(Durations.parse("10µs")).isEqualTo(Duration.ofNanos(10_000));
  }
}
