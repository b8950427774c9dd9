package io.meshwork.controlplane.server;

import io.meshwork.CallOptions;
import io.meshwork.Mesh;
import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import io.meshwork.MeshServer;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

/**
 * One workload of the multi-process fleet test, in a JVM of its own: joins the control plane
 * (certificate by CSR), serves its service, and prints {@code READY <port>}. Every request is answered
 * with {@code <service> <version> to <caller's SPIFFE ID>}; a request to {@code /call/<service>/<path>}
 * is passed on to {@code <service>} through the mesh (with its {@code version} header), so a test can
 * drive calls between processes.
 *
 * <p>Arguments: control plane URI, bootstrap token, service, version label.
 */
public final class FleetMemberProcess {

  private FleetMemberProcess() {}

  public static void main(String[] args) throws InterruptedException {
    String service = args[2];
    String version = args[3];
    Mesh mesh = Mesh.builder().service(service).labels(Map.of("version", version))
        .controlPlane(URI.create(args[0]), args[1]).build();
    MeshServer server = mesh.serve(0, request -> {
      String path = request.path();
      if (path.startsWith("/call/")) {
        int slash = path.indexOf('/', "/call/".length());
        String target = path.substring("/call/".length(), slash);
        MeshRequest.Builder onward = MeshRequest.builder().method(request.method()).path(path.substring(slash));
        if (request.header("version") != null) {
          onward.header("version", request.header("version"));
        }
        return mesh.call(target, onward.build(), CallOptions.none());
      }
      return CompletableFuture.completedFuture(MeshResponse.ok(service + " " + version + " to "
          + request.peerIdentity().map(Object::toString).orElse("nobody")));
    });
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      mesh.close();
      stopped.countDown();
    }));
    System.out.println("READY " + server.port());
    System.out.flush();
    stopped.await();
  }
}
