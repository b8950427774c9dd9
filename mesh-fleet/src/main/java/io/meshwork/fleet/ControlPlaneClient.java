package io.meshwork.fleet;

import io.meshwork.MeshException;
import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import io.meshwork.fleet.api.WireFormat;
import io.meshwork.policy.Protocol;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.security.WorkloadIdentity;
import io.meshwork.transport.ClientOptions;
import io.meshwork.transport.TlsCredentials;
import io.meshwork.transport.Transport;
import io.meshwork.transport.TransportClient;
import io.meshwork.transport.TransportProvider;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Talks HTTP to the control plane through a mesh transport: plaintext with the bootstrap token for the
 * first CSR (the workload has no certificate yet), then mutual TLS with the workload's own certificate,
 * which is all the control plane needs to know who calls, checking that the control plane presents the
 * identity it said it has. A certificate that cannot be used any more (revoked) is replaced over the
 * plaintext channel with the token again. Every exchange ends by its timeout.
 */
final class ControlPlaneClient implements AutoCloseable {

  private static final int MAX_RESPONSE_BYTES = 64 << 20;

  private final URI uri;
  private final String token;
  private final Transport transport;
  private final boolean ownsTransport;
  private final String basePath;
  private final Channel plain;
  private volatile Channel secure;

  ControlPlaneClient(URI uri, String token, Transport transport) {
    this.uri = uri;
    this.token = token;
    this.ownsTransport = transport == null;
    this.transport = ownsTransport ? loadTransport() : transport;
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    this.basePath = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    this.plain = channel("mesh-controlplane", "default", null);
  }

  /** From now on, mutual TLS with {@code credentials}, expecting the control plane to be {@code identity}. */
  void secure(TlsCredentials credentials, WorkloadIdentity identity) {
    secure = channel(identity.service(), identity.namespace(), credentials);
  }

  /** The control plane's address. */
  URI uri() {
    return uri;
  }

  /**
   * Sends {@code method path} with a JSON {@code body} (or none) and reads a JSON answer of type
   * {@code type} (null for none); a 304 answers null. Fails with a {@link ControlPlaneException} for
   * an error status, or with the transport's failure.
   */
  <T> CompletableFuture<T> exchange(String method, String path, Object body, Class<T> type, Duration timeout) {
    Channel current = secure;
    return exchange(current != null ? current : plain, method, path, body, type, timeout);
  }

  /** Like {@link #exchange}, in plaintext with the bootstrap token, whatever the workload's certificate. */
  <T> CompletableFuture<T> bootstrap(String method, String path, Object body, Class<T> type, Duration timeout) {
    return exchange(plain, method, path, body, type, timeout);
  }

  private <T> CompletableFuture<T> exchange(Channel current, String method, String path, Object body, Class<T> type,
      Duration timeout) {
    MeshRequest.Builder request = MeshRequest.builder().method(method).path(basePath + path)
        .header("accept", "application/json");
    if (current == plain) {
      request.header("authorization", "Bearer " + token);
    }
    if (body != null) {
      try {
        request.header("content-type", "application/json").body(WireFormat.mapper().writeValueAsBytes(body));
      } catch (IOException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
    CompletableFuture<MeshResponse> sent = current.client.send(current.instance, request.build(), timeout.toNanos());
    // The transport leaves deadlines to the mesh; completing the future aborts the exchange.
    sent.orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS);
    CompletableFuture<T> result = sent.thenApply(response -> read(method, path, response, type));
    // Cancelling the answer (a watch that closes) aborts the exchange, so nothing waits for it.
    result.whenComplete((done, failure) -> {
      if (result.isCancelled()) {
        sent.cancel(true);
      }
    });
    return result;
  }

  private <T> T read(String method, String path, MeshResponse response, Class<T> type) {
    if (response.status() == 304) {
      return null;
    }
    if (response.status() < 200 || response.status() > 299) {
      throw new ControlPlaneException(response.status(), method + " " + path + " answered " + response.status()
          + ": " + new String(response.body(), StandardCharsets.UTF_8));
    }
    if (type == null || response.bodyLength() == 0) {
      return null;
    }
    try {
      return WireFormat.mapper().readValue(response.body(), type);
    } catch (IOException e) {
      throw new ControlPlaneException(response.status(), method + " " + path + ": unreadable answer: " + e.getMessage());
    }
  }

  private Channel channel(String service, String namespace, TlsCredentials credentials) {
    int port = uri.getPort() > 0 ? uri.getPort() : 80;
    ServiceInstance instance = ServiceInstance.builder(service, uri.getHost() + ":" + port).namespace(namespace)
        .host(uri.getHost()).port(port).build();
    TransportClient client = transport.client(new ClientOptions(service, Protocol.HTTP_1_1, Duration.ofSeconds(5),
        MAX_RESPONSE_BYTES, credentials));
    return new Channel(instance, client);
  }

  @Override
  public void close() {
    Channel current = secure;
    if (current != null) {
      current.client.close();
    }
    plain.client.close();
    if (ownsTransport) {
      transport.close();
    }
  }

  private static Transport loadTransport() {
    Iterator<TransportProvider> providers = ServiceLoader.load(TransportProvider.class).iterator();
    if (!providers.hasNext()) {
      throw new MeshException(null, "controlPlane: no transport to reach it (expected: io.meshwork:mesh-netty on the"
          + " class path, or MeshBuilder.transport(...))");
    }
    return providers.next().create();
  }

  private record Channel(ServiceInstance instance, TransportClient client) {}
}
