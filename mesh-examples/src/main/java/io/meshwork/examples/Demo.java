package io.meshwork.examples;

import io.meshwork.AttemptEvent;
import io.meshwork.Mesh;
import io.meshwork.MeshListener;
import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import io.meshwork.MeshServer;
import io.meshwork.loadbalancer.LoadBalancer;
import io.meshwork.policy.ServicePolicy;
import io.meshwork.registry.InMemoryServiceRegistry;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.resilience.CircuitState;
import io.meshwork.resilience.OutlierDetectionConfig;
import io.meshwork.security.CertificateAuthority;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The README's demo, over real sockets on 127.0.0.1 with mutual TLS from a built-in certificate
 * authority: three instances of user-service, an order-service that calls them through the mesh, and
 * one instance that starts failing. It prints
 * which instance served each call, the retries, the ejection, and the mesh's health report. Exits
 * non-zero if a call fails.
 */
public final class Demo {

  private Demo() {}

  public static void main(String[] args) {
    InMemoryServiceRegistry registry = new InMemoryServiceRegistry();
    // One trust domain, one certificate authority: every call between the two meshes is mutual TLS.
    CertificateAuthority authority = CertificateAuthority.create("cluster.local");
    AtomicBoolean bravoBroken = new AtomicBoolean();
    ServicePolicy policy = ServicePolicy.builder()
        .loadBalancer(LoadBalancer::roundRobin)
        .outlierDetection(OutlierDetectionConfig.builder().consecutiveFailures(3).build())
        // The first call loads the TLS stack and makes the first handshakes on a cold JVM: on a busy
        // two-core machine that alone has taken more than 2 s.
        .timeout(Duration.ofSeconds(10))
        .build();
    int failed = 0;
    // No transport named: the Netty transport of mesh-netty is found on the class path.
    try (Mesh users = Mesh.builder().service("user-service").registry(registry)
             .certificateAuthority(authority).build();
         Mesh orders = Mesh.builder().service("order-service").registry(registry)
             .certificateAuthority(authority).defaultPolicy(policy).listener(new Narrator()).build()) {
      List<MeshServer> instances = new ArrayList<>();
      for (String name : List.of("alpha", "bravo", "charlie")) {
        instances.add(users.serve(0, request -> CompletableFuture.completedFuture(
            name.equals("bravo") && bravoBroken.get() ? MeshResponse.of(503)
                : MeshResponse.ok("user 42, served by " + name + " to " + caller(request)))));
      }
      say("started user-service with mTLS (STRICT): "
          + instances.stream().map(s -> s.instance().address()).toList());

      say("\n-- six calls, all healthy: round robin spreads them --");
      failed += calls(orders, 6);

      ServiceInstance bravo = instances.get(1).instance();
      bravoBroken.set(true);
      say("\n-- " + bravo.address() + " (bravo) now answers 503 to everything --");
      failed += calls(orders, 9);

      say("\n-- what the mesh knows now --");
      System.out.print(orders.healthReport());
    }
    if (failed > 0) {
      say(failed + " calls failed");
      System.exit(1);
    }
    say("\nevery call succeeded");
  }

  /** The caller's verified SPIFFE ID, read by the server from its client certificate. */
  private static String caller(MeshRequest request) {
    return request.peerIdentity().map(Object::toString).orElse("an unauthenticated caller");
  }

  private static int calls(Mesh mesh, int count) {
    int failed = 0;
    for (int i = 1; i <= count; i++) {
      try {
        MeshResponse response = mesh.call("user-service", MeshRequest.get("/users/42")).join();
        say("call " + i + ": " + response.status() + " " + response.bodyAsString());
        failed += response.status() == 200 ? 0 : 1;
      } catch (RuntimeException e) {
        say("call " + i + " FAILED: " + e.getCause());
        failed++;
      }
    }
    return failed;
  }

  private static void say(String line) {
    System.out.println(line);
  }

  /** Prints what the mesh does under the calls. */
  private static final class Narrator implements MeshListener {
    @Override
    public void onAttempt(AttemptEvent event) {
      if (!event.succeeded()) {
        String outcome = event.response() != null ? "status " + event.response().status()
            : event.failure().getMessage();
        say("   attempt " + event.attempt() + " on " + event.instance().address() + " failed (" + outcome
            + "): retrying elsewhere");
      }
    }

    @Override
    public void onEjected(String service, ServiceInstance instance, Duration duration) {
      say("   outlier detection ejected " + instance.address() + " for " + duration.toSeconds() + " s");
    }

    @Override
    public void onCircuitStateChange(String service, ServiceInstance instance, CircuitState from,
        CircuitState to) {
      say("   circuit of " + instance.address() + ": " + from + " -> " + to);
    }
  }
}
