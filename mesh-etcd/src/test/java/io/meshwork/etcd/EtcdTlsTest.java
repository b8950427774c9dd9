package io.meshwork.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.registry.ServiceInstance;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS to etcd, with a client certificate, as etcd run with {@code --client-cert-auth} demands. */
class EtcdTlsTest {

  @TempDir
  Path dir;

  private TestCertificates certificates;
  private EtcdProcess etcd;

  @BeforeEach
  void start() throws Exception {
    certificates = TestCertificates.create(dir);
    etcd = new EtcdProcess("tls", dir);
    etcd.tls(certificates);
    etcd.start();
    etcd.awaitHealthy(Duration.ofSeconds(15));
  }

  @AfterEach
  void stop() {
    etcd.stop();
  }

  @Test
  void registersAndDiscoversOverTlsWithAClientCertificate() throws Exception {
    try (EtcdServiceRegistry registry = EtcdServiceRegistry.builder().endpoints(etcd.clientUrl())
        .trustedCertificates(certificates.ca())
        .clientCertificate(certificates.clientCert(), certificates.clientKey()).build()) {
      ServiceInstance instance = ServiceInstance.builder("secure", "a").host("127.0.0.1").port(8443).build();
      registry.register(instance).get(10, TimeUnit.SECONDS);
      assertThat(registry.discover("secure")).isEqualTo(List.of(instance));
    }
  }

  @Test
  void withoutTheClientCertificateEtcdIsNotReachedAndTheErrorSaysWhere() {
    assertThatThrownBy(() -> EtcdServiceRegistry.builder().endpoints(etcd.clientUrl())
        .trustedCertificates(certificates.ca()).connectTimeout(Duration.ofSeconds(1))
        .requestTimeout(Duration.ofSeconds(1)).build())
        .isInstanceOf(EtcdUnavailableException.class)
        .hasMessageStartingWith("etcd unreachable at [" + etcd.clientUrl() + "]");
  }
}
