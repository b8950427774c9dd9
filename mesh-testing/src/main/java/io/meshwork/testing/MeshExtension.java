package io.meshwork.testing;

import io.meshwork.Mesh;
import io.meshwork.MeshBuilder;
import io.meshwork.MeshException;
import io.meshwork.MeshHandler;
import io.meshwork.registry.InMemoryServiceRegistry;
import io.meshwork.resilience.CircuitState;
import io.meshwork.time.FakeTicker;
import io.meshwork.transport.InMemoryTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.AssertionFailedError;

/**
 * A whole mesh in memory for each test, with fake time: register it as a field,
 *
 * <pre>{@code
 * @RegisterExtension final MeshExtension mesh = new MeshExtension();
 * }</pre>
 *
 * and each test gets a fresh {@link InMemoryServiceRegistry}, {@link InMemoryTransport} and
 * {@link FakeTicker}; {@link #newMesh} builds meshes wired to them (and to this test's
 * {@link MeshActivity}), {@link #instance} starts {@link ScriptedInstance}s of the services your code
 * calls, {@link #await} drives fake time until a call completes, and the {@code assert...} methods
 * check what the mesh did. Everything is closed after the test. No sockets, no threads of its own:
 * handlers, timers and listeners run on the test's thread, so a test is deterministic.
 */
public final class MeshExtension implements BeforeEachCallback, AfterEachCallback {

  /** How much fake time {@link #await} lets pass by default: more than any call's deadline. */
  public static final Duration DEFAULT_AWAIT_LIMIT = Duration.ofMinutes(10);

  private State state;

  /** An extension; register it with {@code @RegisterExtension}. */
  public MeshExtension() {}

  @Override
  public void beforeEach(ExtensionContext context) {
    state = new State();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    State ending = state;
    state = null;
    if (ending != null) {
      ending.close();
    }
  }

  /** This test's time: it moves only when the test advances it (or {@link #await}s a call). */
  public FakeTicker ticker() {
    return state().ticker;
  }

  /** This test's registry, shared by every mesh and instance of the test. */
  public InMemoryServiceRegistry registry() {
    return state().registry;
  }

  /** This test's transport, shared by every mesh and instance of the test. */
  public InMemoryTransport transport() {
    return state().transport;
  }

  /** What the meshes of this test did so far. */
  public MeshActivity activity() {
    return state().activity;
  }

  /** A mesh of {@code service} wired to this test's registry, transport, time and activity. */
  public Mesh newMesh(String service) {
    return newMesh(service, builder -> { });
  }

  /**
   * A mesh of {@code service} wired to this test's registry, transport, fake time, activity (as its
   * listener) and a seeded random source, with no shutdown grace; {@code configure} adds the rest,
   * such as {@code builder -> builder.policy("user-service", policy)}. Replacing the listener stops
   * the activity from seeing that mesh. Closed after the test.
   */
  public Mesh newMesh(String service, Consumer<MeshBuilder> configure) {
    State current = state();
    MeshBuilder builder = Mesh.builder().service(service).registry(current.registry)
        .transport(current.transport).ticker(current.ticker).listener(current.activity.listener())
        .random(new Random(current.meshes.size())).shutdownGrace(Duration.ZERO);
    configure.accept(builder);
    Mesh mesh = builder.build();
    current.meshes.add(mesh);
    return mesh;
  }

  /** A new instance of {@code service}, registered and answering 200 "ok" until scripted otherwise. */
  public ScriptedInstance instance(String service) {
    State current = state();
    Mesh server = current.servers.computeIfAbsent(service, this::newMesh);
    ScriptedInstance.Answer answer = new ScriptedInstance.Answer();
    return new ScriptedInstance(server.serve(0, answer), current.transport, answer);
  }

  /** A new instance of {@code service} answering with {@code handler}. */
  public ScriptedInstance instance(String service, MeshHandler handler) {
    return instance(service).answer(handler);
  }

  /** {@code count} new instances of {@code service}, each answering 200 "ok". */
  public List<ScriptedInstance> instances(String service, int count) {
    if (count < 1) {
      throw new IllegalArgumentException("count: " + count + " (expected: >= 1)");
    }
    List<ScriptedInstance> started = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      started.add(instance(service));
    }
    return started;
  }

  /**
   * Advances fake time until {@code call} completes (at most {@link #DEFAULT_AWAIT_LIMIT}) and
   * returns its result, or throws its failure as it is (a {@link MeshException}, not wrapped), so a
   * call that needs retries, backoff or a timeout completes without the test sleeping.
   */
  public <T> T await(CompletableFuture<T> call) {
    return await(call, DEFAULT_AWAIT_LIMIT);
  }

  /** {@link #await(CompletableFuture)} letting at most {@code limit} of fake time pass. */
  public <T> T await(CompletableFuture<T> call, Duration limit) {
    try {
      ticker().advanceUntilDone(call, limit);
    } catch (IllegalStateException e) {
      throw new AssertionFailedError(e.getMessage() + "; what the mesh did:\n" + activity().describe(), e);
    }
    try {
      return call.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException failure ? failure : e;
    }
  }

  /** Advances fake time until {@code call} completes and returns its failure; fails if it succeeded. */
  public Throwable awaitFailure(CompletableFuture<?> call) {
    Object result;
    try {
      result = await(call);
    } catch (AssertionFailedError e) {
      throw e;
    } catch (RuntimeException e) {
      return e;
    }
    throw new AssertionFailedError("expected the call to fail, but it completed with " + result);
  }

  /** Fails unless exactly {@code expected} requests reached {@code instance}. */
  public void assertCalls(ScriptedInstance instance, int expected) {
    check(instance.calls() == expected, "calls to " + instance, expected, instance.calls());
  }

  /** Fails unless the mesh made exactly {@code expected} attempts to {@code service}. */
  public void assertAttempts(String service, int expected) {
    int actual = activity().attempts(service).size();
    check(actual == expected, "attempts to " + service, expected, actual);
  }

  /** Fails unless exactly {@code expected} of the attempts to {@code service} were retries. */
  public void assertRetries(String service, int expected) {
    int actual = activity().retries(service);
    check(actual == expected, "retries to " + service, expected, actual);
  }

  /** Fails unless outlier detection ejected {@code instance} exactly {@code expected} times. */
  public void assertEjections(ScriptedInstance instance, int expected) {
    int actual = activity().ejectionsOf(instance.instance()).size();
    check(actual == expected, "ejections of " + instance, expected, actual);
  }

  /**
   * Fails unless {@code instance}'s breaker went through exactly {@code states}, such as
   * {@code CLOSED, OPEN, HALF_OPEN, CLOSED}; no states means it never changed.
   */
  public void assertBreakerStates(ScriptedInstance instance, CircuitState... states) {
    List<CircuitState> actual = activity().breakerStates(instance.instance());
    List<CircuitState> expected = Arrays.asList(states);
    check(actual.equals(expected), "breaker states of " + instance, expected, actual);
  }

  private void check(boolean holds, String what, Object expected, Object actual) {
    if (!holds) {
      throw new AssertionFailedError(what + ": expected " + expected + " but was " + actual
          + "; what the mesh did:\n" + activity().describe(), expected, actual);
    }
  }

  private State state() {
    if (state == null) {
      throw new IllegalStateException("MeshExtension is used outside a test: register it on a field"
          + " with @RegisterExtension and use it from a test or a @BeforeEach method");
    }
    return state;
  }

  /** What one test owns; closed after it, instances first, then the callers, then the network. */
  private static final class State {
    final FakeTicker ticker = new FakeTicker();
    final InMemoryServiceRegistry registry = new InMemoryServiceRegistry();
    final InMemoryTransport transport = new InMemoryTransport(ticker);
    final MeshActivity activity = new MeshActivity();
    final List<Mesh> meshes = new ArrayList<>();
    final Map<String, Mesh> servers = new HashMap<>();

    void close() {
      RuntimeException failure = null;
      for (int i = meshes.size() - 1; i >= 0; i--) {
        try {
          meshes.get(i).close();
        } catch (RuntimeException e) {
          failure = add(failure, e);
        }
      }
      transport.close();
      if (failure != null) {
        throw failure;
      }
    }

    private static RuntimeException add(RuntimeException first, RuntimeException next) {
      if (first == null) {
        return next;
      }
      first.addSuppressed(next);
      return first;
    }
  }
}
