package io.meshwork.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceInstanceTest {

  @Test
  void aValidInstanceKeepsEveryField() {
    ServiceInstance instance = ServiceInstance.builder("user-service", "u-1").namespace("prod")
        .host("::1").port(8080).weight(3).labels(Map.of("version", "v2")).health(HealthStatus.UNKNOWN).build();
    assertThat(instance.address()).isEqualTo("[::1]:8080");
    assertThat(instance.weight()).isEqualTo(3);
    assertThat(instance.labels()).containsEntry("version", "v2");
    assertThat(instance.isHealthy()).isFalse();
    assertThat(instance.withHealth(HealthStatus.HEALTHY).isHealthy()).isTrue();
    assertThat(instance.toBuilder().build()).isEqualTo(instance).hasSameHashCodeAs(instance);
  }

  @Test
  void badValuesAreRejectedNamingTheFieldAndTheValue() {
    assertThatThrownBy(() -> ServiceInstance.builder("", "id"))
        .hasMessageStartingWith("service: '' (expected:");
    assertThatThrownBy(() -> ServiceInstance.builder("user service", "id"))
        .hasMessageStartingWith("service: 'user service'");
    assertThatThrownBy(() -> ServiceInstance.builder("svc", ""))
        .hasMessageStartingWith("id: ''");
    assertThatThrownBy(() -> ServiceInstance.builder("svc", "a/b"))
        .hasMessageStartingWith("id: 'a/b'");
    assertThatThrownBy(() -> ServiceInstance.builder("svc", "id").port(0))
        .hasMessage("port: 0 (expected: 1..65535)");
    assertThatThrownBy(() -> ServiceInstance.builder("svc", "id").port(65536))
        .hasMessage("port: 65536 (expected: 1..65535)");
    assertThatThrownBy(() -> ServiceInstance.builder("svc", "id").weight(-1))
        .hasMessage("weight: -1 (expected: 0..1000000)");
    assertThatThrownBy(() -> ServiceInstance.builder("svc", "id").host(" "))
        .hasMessageStartingWith("host: ' '");
    assertThatThrownBy(() -> ServiceInstance.builder("svc", "id").port(80).build())
        .hasMessageStartingWith("host: missing for instance svc/id");
    assertThatThrownBy(() -> ServiceInstance.builder("svc", "id").host("h").build())
        .hasMessageStartingWith("port: missing for instance svc/id");
    assertThatThrownBy(() -> ServiceInstance.builder("svc", "id").labels(Map.of("", "x")))
        .hasMessageStartingWith("labels: ''='x'");
  }
}
