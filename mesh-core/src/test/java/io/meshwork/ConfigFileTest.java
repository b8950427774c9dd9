package io.meshwork;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.config.ConfigChange;
import io.meshwork.config.InvalidConfigException;
import io.meshwork.security.CertificateAuthority;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A mesh following its mesh.yaml: changes applied, bad files refused, a bad file at start fatal. */
class ConfigFileTest {

  @TempDir
  Path dir;
  private final TestMeshes meshes = new TestMeshes();
  private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();

  @AfterEach
  void close() {
    meshes.close();
  }

  private static String split(int stable, int canary) {
    return """
        services:
          user-service:
            subsets:
              v1: {version: v1}
              v2: {version: v2}
            routes:
              - name: canary
                route:
                  - destination: {service: user-service, subset: v1, weight: %d}
                  - destination: {service: user-service, subset: v2, weight: %d}
        """.formatted(stable, canary);
  }

  private Mesh follow(Path file) {
    return meshes.add(meshes.builder("frontend").config(file).listener(new MeshListener() {
      @Override
      public void onConfigApplied(ConfigChange change) {
        events.add(change);
      }

      @Override
      public void onConfigRejected(String source, InvalidConfigurationException reason) {
        events.add(reason);
      }
    }).build());
  }

  private Object nextEvent() throws InterruptedException {
    Object event = events.poll(10, TimeUnit.SECONDS);
    assertThat(event).as("a config event within 10 s").isNotNull();
    return event;
  }

  private String answer(Mesh mesh) {
    return meshes.join(mesh.call("user-service", MeshRequest.get("/"))).bodyAsString();
  }

  @Test
  void theMeshFollowsItsFileAndKeepsItsConfigWhenANewFileIsBad() throws Exception {
    for (String version : new String[] {"v1", "v2"}) {
      meshes.add(meshes.builder("user-service").labels(Map.of("version", version)).build())
          .serve(0, request -> CompletableFuture.completedFuture(MeshResponse.ok(version)));
    }
    Path file = dir.resolve("mesh.yaml");
    Files.writeString(file, split(100, 0));
    Mesh frontend = follow(file);
    assertThat(nextEvent()).isInstanceOf(ConfigChange.class);
    assertThat(answer(frontend)).isEqualTo("v1");

    // Saved by rename, as editors do.
    Path next = dir.resolve("mesh.yaml.tmp");
    Files.writeString(next, split(0, 100));
    Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    assertThat(nextEvent()).isInstanceOf(ConfigChange.class);
    assertThat(answer(frontend)).isEqualTo("v2");

    Files.writeString(file, split(0, 100).replace("weight: 100", "weight: lots"));
    Object refused = nextEvent();
    assertThat(refused).isInstanceOf(InvalidConfigException.class);
    assertThat(((InvalidConfigException) refused).getMessage()).contains("weight");
    assertThat(answer(frontend)).as("the config in force stays").isEqualTo("v2");
  }

  @Test
  void aBadFileAtStartFailsTheBuildWithItsErrors() throws Exception {
    Path file = dir.resolve("mesh.yaml");
    Files.writeString(file, "services:\n  user-service:\n    timeout: soon\n");
    assertThatThrownBy(() -> meshes.builder("frontend").config(file).build())
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("timeout");
  }

  @Test
  void aDenyDefaultRefusesWhatNoRuleAllows() throws Exception {
    CertificateAuthority authority = CertificateAuthority.create("cluster.local");
    Path file = dir.resolve("mesh.yaml");
    Files.writeString(file, """
        authorization:
          defaultAction: DENY
          rules:
            - name: frontend-reads
              action: ALLOW
              principals: [spiffe://cluster.local/ns/default/sa/frontend]
              methods: [GET]
        """);
    Mesh users = meshes.add(meshes.builder("user-service").certificateAuthority(authority).config(file).build());
    users.serve(0, request -> CompletableFuture.completedFuture(MeshResponse.ok("ok")));
    Mesh frontend = meshes.add(meshes.builder("frontend").certificateAuthority(authority).build());
    Mesh billing = meshes.add(meshes.builder("billing").certificateAuthority(authority).build());
    assertThat(meshes.join(frontend.call("user-service", MeshRequest.get("/"))).status()).isEqualTo(200);
    assertThat(meshes.join(frontend.call("user-service", MeshRequest.delete("/x"))).status()).isEqualTo(403);
    assertThat(meshes.join(billing.call("user-service", MeshRequest.get("/"))).status()).isEqualTo(403);
    users.apply(users.config().toBuilder().authorization(io.meshwork.security.AuthorizationPolicy.allowAll()).build());
    assertThat(meshes.join(billing.call("user-service", MeshRequest.get("/"))).bodyAsString())
        .as("no rule at all and DENY by default: still denied").contains("default action is DENY");
  }
}
