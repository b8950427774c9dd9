package io.meshwork.controlplane.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.Mesh;
import io.meshwork.MeshResponse;
import io.meshwork.netty.testing.Binaries;
import io.meshwork.netty.testing.ChildProcess;
import io.meshwork.netty.testing.Ports;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The NGINX export for real: {@code nginx -t} accepts it, and an nginx started with it (on loopback,
 * stopped by its PID) reaches the instances of joined meshes over mTLS with a certificate the control
 * plane issued for nginx's own identity.
 */
class NginxExportTest {

  @TempDir
  Path directory;

  @Test
  void nginxProxiesToTheMeshesInstancesOverMtlsWithItsOwnCertificate() throws Exception {
    Path nginxBinary = Binaries.nginx();
    Path certificates = Files.createDirectories(directory.resolve("certs"));
    Path prefix = Files.createDirectories(directory.resolve("nginx"));
    Files.createDirectories(prefix.resolve("tmp"));
    try (TestControlPlane controlPlane = new TestControlPlane(directory.resolve("cp"));
         Mesh v1 = join(controlPlane, "v1");
         Mesh v2 = join(controlPlane, "v2")) {
      for (Mesh mesh : List.of(v1, v2)) {
        String version = mesh == v1 ? "v1" : "v2";
        mesh.serve(0, request -> CompletableFuture.completedFuture(MeshResponse.ok(version + " served "
            + request.path() + " to " + request.peerIdentity().map(Object::toString).orElse("nobody"))));
      }
      ApiClient admin = controlPlane.admin();
      var issued = admin.post("/api/v1/certificates/issue", "{\"service_name\":\"nginx-gateway\"}").json();
      Files.writeString(certificates.resolve("cert.pem"), issued.get("certificate_chain").asText());
      Files.writeString(certificates.resolve("ca.pem"), issued.get("ca_certificate").asText());
      Path key = certificates.resolve("key.pem");
      Files.createFile(key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(key, issued.get("private_key").asText());

      int port = Ports.free();
      ApiClient.Answer exported = admin.get("/api/v1/nginx/configs/user-service?listen=127.0.0.1:" + port
          + "&cert_dir=" + certificates);
      assertThat(exported.status()).as(exported.body()).isEqualTo(200);
      assertThat(exported.body()).contains("proxy_pass https://user-service;", "max_fails=", "fail_timeout=",
          "proxy_ssl_certificate " + certificates.resolve("cert.pem"), "proxy_connect_timeout 2s;");
      Files.writeString(prefix.resolve("meshwork.conf"), exported.body());
      Path conf = prefix.resolve("nginx.conf");
      Files.writeString(conf, """
          daemon off;
          master_process off;
          worker_processes 1;
          pid DIR/nginx.pid;
          error_log DIR/error.log info;
          events { worker_connections 64; }
          http {
            access_log DIR/access.log;
            client_body_temp_path DIR/tmp/body;
            proxy_temp_path DIR/tmp/proxy;
            fastcgi_temp_path DIR/tmp/fastcgi;
            uwsgi_temp_path DIR/tmp/uwsgi;
            scgi_temp_path DIR/tmp/scgi;
            include DIR/meshwork.conf;
          }
          """.replace("DIR", prefix.toString()));
      List<String> command = List.of(nginxBinary.toString(), "-p", prefix.toString(), "-c", conf.toString(),
          "-e", prefix.resolve("error.log").toString());
      ChildProcess.Result check = ChildProcess.run(prefix, Duration.ofSeconds(30),
          List.of(nginxBinary.toString(), "-t", "-p", prefix.toString(), "-c", conf.toString(), "-e",
              prefix.resolve("error.log").toString()));
      assertThat(check.exitCode()).as(check.text()).isZero();
      assertThat(check.text()).contains("syntax is ok", "test is successful");

      try (ChildProcess nginx = ChildProcess.start(prefix.resolve("nginx.out"), command)) {
        Ports.awaitListening(port, Duration.ofSeconds(20), "nginx (" + nginx.output() + ")");
        HttpClient http = HttpClient.newHttpClient();
        Set<String> versions = new HashSet<>();
        for (int i = 0; i < 8; i++) {
          HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
              + "/users/" + i)).timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
          assertThat(answer.statusCode()).as(answer.body() + "\n" + Files.readString(prefix.resolve("error.log")))
              .isEqualTo(200);
          assertThat(answer.body()).endsWith(" served /users/" + i
              + " to spiffe://cluster.local/ns/default/sa/nginx-gateway");
          versions.add(answer.body().substring(0, 2));
        }
        assertThat(versions).containsExactlyInAnyOrder("v1", "v2");
      }
    }
  }

  private static Mesh join(TestControlPlane controlPlane, String version) {
    return Mesh.builder().service("user-service").labels(Map.of("version", version))
        .controlPlane(controlPlane.server().uri(), controlPlane.bootstrapToken("default", "user-service")).build();
  }
}
