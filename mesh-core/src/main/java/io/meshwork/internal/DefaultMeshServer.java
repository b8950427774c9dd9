package io.meshwork.internal;

import io.meshwork.MeshServer;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.registry.ServiceRegistry;
import io.meshwork.transport.ConnectionStats;
import io.meshwork.transport.TransportServer;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A served instance: deregistered first on close, so callers stop picking it, then drained. */
final class DefaultMeshServer implements MeshServer {

  private static final Logger log = LoggerFactory.getLogger(DefaultMeshServer.class);

  private final ServiceInstance instance;
  private final TransportServer server;
  private final ServiceRegistry registry;
  private final Duration grace;
  private final Runnable onClose;
  private final AtomicBoolean closed = new AtomicBoolean();

  DefaultMeshServer(ServiceInstance instance, TransportServer server, ServiceRegistry registry,
      Duration grace, Runnable onClose) {
    this.instance = instance;
    this.server = server;
    this.registry = registry;
    this.grace = grace;
    this.onClose = onClose;
  }

  @Override
  public int port() {
    return server.port();
  }

  /** The transport server's connections and handshakes, for the metrics. */
  ConnectionStats stats() {
    return server.stats();
  }

  @Override
  public ServiceInstance instance() {
    return instance;
  }

  @Override
  public void close(Duration grace) {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      registry.deregister(instance.service(), instance.id()).get(Math.max(1, grace.toMillis()), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      // One line: the registry's own message says what it does next (retry, expiry); no stack trace.
      log.warn("{}: could not deregister {} before closing ({})", instance.service(), instance.address(),
          e.getCause().getMessage());
    } catch (TimeoutException e) {
      log.warn("{}: deregistering {} took longer than the {} ms grace; closing anyway", instance.service(),
          instance.address(), grace.toMillis());
    } catch (CancellationException e) {
      log.warn("{}: deregistering {} was cancelled; closing anyway", instance.service(), instance.address());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    server.close(grace);
    onClose.run();
  }

  @Override
  public void close() {
    close(grace);
  }

  @Override
  public String toString() {
    return "MeshServer{" + instance + "}";
  }
}
