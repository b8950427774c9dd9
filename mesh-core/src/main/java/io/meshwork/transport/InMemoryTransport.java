package io.meshwork.transport;

import io.meshwork.ConnectFailedException;
import io.meshwork.MeshClosedException;
import io.meshwork.MeshException;
import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import io.meshwork.TransportException;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.time.Scheduler;
import io.meshwork.time.SystemScheduler;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A whole mesh in one JVM with no sockets: servers are handlers keyed by {@code host:port}, and a
 * test can make any address refuse, reset, fail with a status, hang or answer slowly. Share one
 * transport between the meshes of a test. Handlers run on the calling thread.
 *
 * <p>Mutual TLS is simulated with the real certificates: a STRICT server refuses a caller without
 * credentials, a client refuses a server whose certificate names another identity, revoked serials
 * are refused on both sides, and the caller's identity reaches the handler.
 *
 * <p>Servers keep the contract of the real ones: a body over the limit gets 413, then the head alone
 * (an empty body) goes to {@link InboundHandler#admit}, and only an admitted request reaches
 * {@link InboundHandler#handle} with its body.
 */
public final class InMemoryTransport implements Transport {

  private static final byte[] NO_BODY = new byte[0];

  private final Scheduler scheduler;
  private final SystemScheduler ownScheduler;
  private final Map<String, Endpoint> endpoints = new ConcurrentHashMap<>();
  private final Map<String, Fault> faults = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> received = new ConcurrentHashMap<>();
  private final Map<String, MeshRequest> lastReceived = new ConcurrentHashMap<>();
  private final Map<String, FailNext> failNext = new ConcurrentHashMap<>();
  private final Set<CompletableFuture<MeshResponse>> hanging = ConcurrentHashMap.newKeySet();
  private final AtomicInteger nextPort = new AtomicInteger(20_000);
  private volatile boolean closed;

  /** A transport whose slow answers are timed on the system clock. */
  public InMemoryTransport() {
    this.ownScheduler = new SystemScheduler("meshwork-inmemory-timer");
    this.scheduler = ownScheduler;
  }

  /** A transport whose slow answers are timed by {@code scheduler}, such as a FakeTicker. */
  public InMemoryTransport(Scheduler scheduler) {
    this.scheduler = scheduler;
    this.ownScheduler = null;
  }

  /** Connections to the instance are refused: the request is never sent. */
  public void refuse(ServiceInstance instance) {
    faults.put(instance.address(), new Fault(Kind.REFUSE, 0, Duration.ZERO));
  }

  /** The connection is reset after the request was sent. */
  public void reset(ServiceInstance instance) {
    faults.put(instance.address(), new Fault(Kind.RESET, 0, Duration.ZERO));
  }

  /** The instance answers {@code status}, such as 503, without calling its handler. */
  public void fail(ServiceInstance instance, int status) {
    MeshResponse.of(status); // checks the status
    faults.put(instance.address(), new Fault(Kind.STATUS, status, Duration.ZERO));
  }

  /** The instance never answers; the call ends only by its deadline or per-try timeout. */
  public void hang(ServiceInstance instance) {
    faults.put(instance.address(), new Fault(Kind.HANG, 0, Duration.ZERO));
  }

  /** The instance answers normally, {@code delay} late. */
  public void slow(ServiceInstance instance, Duration delay) {
    faults.put(instance.address(), new Fault(Kind.SLOW, 0, delay));
  }

  /**
   * The next {@code count} requests that reach the instance are answered {@code status} without
   * calling its handler; later ones behave as before. Counts down ahead of any other fault.
   */
  public void failNext(ServiceInstance instance, int count, int status) {
    if (count < 1) {
      throw new IllegalArgumentException("count: " + count + " (expected: >= 1)");
    }
    MeshResponse.of(status); // checks the status
    failNext.put(instance.address(), new FailNext(new AtomicInteger(count), status));
  }

  /** The instance behaves normally again: every fault, {@link #failNext} included, is lifted. */
  public void heal(ServiceInstance instance) {
    faults.remove(instance.address());
    failNext.remove(instance.address());
  }

  /** How many requests reached the instance (refused connections are not counted). */
  public int requestsTo(ServiceInstance instance) {
    AtomicInteger count = received.get(instance.address());
    return count == null ? 0 : count.get();
  }

  /**
   * The last request that reached the instance, as the transport delivered it (with the timeout
   * header the caller added); empty when none did. Refused connections deliver nothing.
   */
  public Optional<MeshRequest> lastRequestTo(ServiceInstance instance) {
    return Optional.ofNullable(lastReceived.get(instance.address()));
  }

  @Override
  public TransportClient client(ClientOptions options) {
    return new TransportClient() {
      @Override
      public CompletableFuture<MeshResponse> send(ServiceInstance instance, MeshRequest request,
          long timeoutNanos) {
        return InMemoryTransport.this.send(options, instance, request, timeoutNanos);
      }

      @Override
      public void close() {}
    };
  }

  @Override
  public TransportServer bind(ServerOptions options, InboundHandler handler) {
    if (closed) {
      throw new MeshClosedException(options.service(), "in-memory transport is closed");
    }
    int port = options.port();
    while (true) {
      int candidate = port != 0 ? port : nextPort.getAndIncrement();
      String address = address(options.host(), candidate);
      if (endpoints.putIfAbsent(address,
          new Endpoint(InboundHandler.guarded(options.service(), handler), options)) == null) {
        return new TransportServer() {
          @Override
          public int port() {
            return candidate;
          }

          @Override
          public void close(Duration grace) {
            endpoints.remove(address);
          }
        };
      }
      if (port != 0) {
        throw new MeshException(options.service(), "address already in use: " + address);
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    endpoints.clear();
    for (CompletableFuture<MeshResponse> call : hanging) {
      call.completeExceptionally(new MeshClosedException(null, "in-memory transport closed"));
    }
    if (ownScheduler != null) {
      ownScheduler.close();
    }
  }

  private CompletableFuture<MeshResponse> send(ClientOptions options, ServiceInstance instance,
      MeshRequest request, long timeoutNanos) {
    String service = options.service();
    String address = instance.address();
    Fault fault = faults.get(address);
    Endpoint endpoint = endpoints.get(address);
    if (closed || endpoint == null || (fault != null && fault.kind == Kind.REFUSE)) {
      return CompletableFuture.failedFuture(
          new ConnectFailedException(service, "connection refused by " + address));
    }
    MeshRequest sent;
    try {
      sent = InMemoryHandshake.apply(options, instance, endpoint.options(), withTimeout(request, timeoutNanos));
    } catch (MeshException e) {
      return CompletableFuture.failedFuture(e);
    }
    received.computeIfAbsent(address, a -> new AtomicInteger()).incrementAndGet();
    lastReceived.put(address, sent);
    FailNext failing = failNext.get(address);
    if (failing != null && failing.take()) {
      return CompletableFuture.completedFuture(MeshResponse.of(failing.status));
    }
    if (fault == null) {
      return endpoint.call(sent);
    }
    switch (fault.kind) {
      case RESET:
        return CompletableFuture.failedFuture(
            new TransportException(service, "connection reset by " + address));
      case STATUS:
        return CompletableFuture.completedFuture(MeshResponse.of(fault.status));
      case HANG:
        CompletableFuture<MeshResponse> never = new CompletableFuture<>();
        hanging.add(never);
        never.whenComplete((response, failure) -> hanging.remove(never));
        return never;
      default:
        CompletableFuture<MeshResponse> late = new CompletableFuture<>();
        scheduler.schedule(() -> {
          if (!late.isDone()) {
            endpoint.call(sent).whenComplete((response, failure) -> {
              if (failure != null) {
                late.completeExceptionally(failure);
              } else {
                late.complete(response);
              }
            });
          }
        }, fault.delay.toNanos(), TimeUnit.NANOSECONDS);
        return late;
    }
  }

  private static MeshRequest withTimeout(MeshRequest request, long timeoutNanos) {
    long millis = Math.max(0, TimeUnit.NANOSECONDS.toMillis(timeoutNanos));
    return request.toBuilder().header(TransportHeaders.TIMEOUT_MS, Long.toString(millis)).build();
  }

  private static String address(String host, int port) {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  private enum Kind { REFUSE, RESET, STATUS, HANG, SLOW }

  private record Fault(Kind kind, int status, Duration delay) {}

  private record FailNext(AtomicInteger left, int status) {
    /** Whether this request is one of the failing ones. */
    boolean take() {
      return left.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
    }
  }

  private record Endpoint(InboundHandler handler, ServerOptions options) {
    CompletableFuture<MeshResponse> call(MeshRequest request) {
      int limit = options.limits().maxRequestBytes();
      if (request.bodyLength() > limit) {
        return CompletableFuture.completedFuture(ErrorResponses.of(413, options.service(),
            "request body of " + request.bodyLength() + " bytes exceeds the limit of " + limit));
      }
      boolean hasBody = request.bodyLength() > 0;
      Admission admission = handler.admit(hasBody ? request.toBuilder().body(NO_BODY).build() : request);
      if (!admission.isAdmitted()) {
        return CompletableFuture.completedFuture(admission.answer());
      }
      return handler.handle(hasBody ? admission.head().toBuilder().body(request.body()).build() : admission.head());
    }
  }
}
