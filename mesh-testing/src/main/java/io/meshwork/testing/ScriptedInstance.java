package io.meshwork.testing;

import io.meshwork.MeshHandler;
import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import io.meshwork.MeshServer;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.transport.InMemoryTransport;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One instance of a service in a {@link MeshExtension}'s mesh, registered and served in memory, whose
 * behaviour the test scripts: what it answers, and how it fails. A fault lasts until {@link #heal()}
 * (or another fault replaces it); {@link #failNext} counts down ahead of it. Slow answers and hangs
 * follow the test's fake time.
 */
public final class ScriptedInstance {

  private final MeshServer server;
  private final InMemoryTransport transport;
  private final Answer answer;

  ScriptedInstance(MeshServer server, InMemoryTransport transport, Answer answer) {
    this.server = server;
    this.transport = transport;
    this.answer = answer;
  }

  /** The instance as the registry holds it: service, id, address. */
  public ServiceInstance instance() {
    return server.instance();
  }

  /** {@code host:port} of the instance. */
  public String address() {
    return server.instance().address();
  }

  /** From now on the instance answers with {@code handler} (it starts with 200 "ok"). */
  public ScriptedInstance answer(MeshHandler handler) {
    answer.handler = Objects.requireNonNull(handler, "handler");
    return this;
  }

  /** From now on the instance answers 200 with {@code body} as text. */
  public ScriptedInstance answer(String body) {
    Objects.requireNonNull(body, "body");
    return answer(request -> CompletableFuture.completedFuture(MeshResponse.ok(body)));
  }

  /** The instance answers {@code status} (such as 503) to every request, until healed. */
  public ScriptedInstance failWith(int status) {
    transport.fail(instance(), status);
    return this;
  }

  /** The next {@code count} requests are answered {@code status}; later ones as before. */
  public ScriptedInstance failNext(int count, int status) {
    transport.failNext(instance(), count, status);
    return this;
  }

  /** Connections are refused: requests never reach the instance, until healed. */
  public ScriptedInstance refuse() {
    transport.refuse(instance());
    return this;
  }

  /** The connection is reset after each request was sent, until healed. */
  public ScriptedInstance reset() {
    transport.reset(instance());
    return this;
  }

  /** The instance never answers: calls end by their per-try timeout or deadline, until healed. */
  public ScriptedInstance hang() {
    transport.hang(instance());
    return this;
  }

  /** The instance answers normally, {@code delay} of fake time late, until healed. */
  public ScriptedInstance slow(Duration delay) {
    transport.slow(instance(), Objects.requireNonNull(delay, "delay"));
    return this;
  }

  /** Lifts every fault: the instance answers with its handler again. */
  public ScriptedInstance heal() {
    transport.heal(instance());
    return this;
  }

  /** How many requests reached the instance, whatever it answered (refused ones did not). */
  public int calls() {
    return transport.requestsTo(instance());
  }

  /** The last request that reached the instance, headers included; empty when none did. */
  public Optional<MeshRequest> lastRequest() {
    return transport.lastRequestTo(instance());
  }

  /** Stops the instance: it is deregistered, so the mesh stops picking it. */
  public void stop() {
    server.close(Duration.ZERO);
  }

  @Override
  public String toString() {
    return instance().service() + "@" + address();
  }

  /** The handler of the instance, swapped by {@link #answer}; read on each request. */
  static final class Answer implements MeshHandler {
    private volatile MeshHandler handler =
        request -> CompletableFuture.completedFuture(MeshResponse.ok("ok"));

    @Override
    public CompletableFuture<MeshResponse> handle(MeshRequest request) {
      return handler.handle(request);
    }
  }
}
