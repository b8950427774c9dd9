package io.meshwork.netty;

import io.meshwork.Mesh;
import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import io.meshwork.registry.InMemoryServiceRegistry;
import io.meshwork.security.CertificateAuthority;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Run in a JVM of its own by {@code MeshCallApiTest}: two meshes with mTLS from a CA and the default
 * Netty transport make a call and close; then it prints the threads left that a closed mesh must not
 * leave (the JDK's delayed-executor thread, which kept {@code mvn exec:java} waiting 15 s).
 */
public final class MtlsMeshLifecycle {

  private MtlsMeshLifecycle() {}

  public static void main(String[] args) throws Exception {
    CertificateAuthority authority = CertificateAuthority.create("cluster.local");
    InMemoryServiceRegistry registry = new InMemoryServiceRegistry();
    try (Mesh users = Mesh.builder().service("user-service").registry(registry).certificateAuthority(authority).build();
        Mesh orders = Mesh.builder().service("order-service").registry(registry).certificateAuthority(authority)
            .build()) {
      users.serve(0, request -> CompletableFuture.completedFuture(MeshResponse.ok("hi")));
      System.out.println("answer: " + orders.call("user-service", MeshRequest.get("/")).get(10, TimeUnit.SECONDS)
          .bodyAsString());
    }
    List<String> left = Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
        .filter(name -> name.startsWith("CompletableFutureDelayScheduler")).sorted().collect(Collectors.toList());
    System.out.println("threads after close: " + left);
  }
}
