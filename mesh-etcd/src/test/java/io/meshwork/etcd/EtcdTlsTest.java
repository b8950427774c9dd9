package io.meshwork.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.registry.ServiceInstance;
import io.meshwork.security.MtlsMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS to etcd, with a client certificate, as etcd run with {@code --client-cert-auth} demands: for the
 * registry and for the config source.
 */
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

  private void etcdctl(String... command) {
    List<String> args = new ArrayList<>(List.of("--cacert", certificates.ca().toString(), "--cert",
        certificates.clientCert().toString(), "--key", certificates.clientKey().toString()));
    args.addAll(List.of(command));
    Etcdctl.run(etcd.clientUrl(), args.toArray(String[]::new));
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
  void aConfigSourceReadsAndWatchesItsKeyOverTlsWithAClientCertificate() throws Exception {
    etcdctl("put", EtcdConfigSource.DEFAULT_KEY, "mtls: STRICT\n");
    try (EtcdConfigSource source = EtcdConfigSource.builder().endpoints(etcd.clientUrl())
        .trustedCertificates(certificates.ca())
        .clientCertificate(certificates.clientCert(), certificates.clientKey()).build()) {
      ConfigRecorder member = new ConfigRecorder(source).start();
      assertThat(member.next(Duration.ofSeconds(10)).mtls()).isEqualTo(MtlsMode.STRICT);
      etcdctl("put", EtcdConfigSource.DEFAULT_KEY, "mtls: PERMISSIVE\n");
      assertThat(member.next(Duration.ofSeconds(10)).mtls()).isEqualTo(MtlsMode.PERMISSIVE);
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
