package io.meshwork.tracing;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Ids only: a child keeps its parent's trace id, flags and trace state with a new random span id; a
 * root gets a new random trace id and is sampled, so the services it calls record it if they export.
 * Ids come from the thread's own random source, never from a seeded one shared by meshes, so two
 * meshes in one test never make the same id.
 */
final class W3cTracer implements MeshTracer {

  static final W3cTracer INSTANCE = new W3cTracer();

  private W3cTracer() {}

  @Override
  public MeshSpan start(SpanKind kind, String name, TraceContext parent, boolean remoteParent) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    TraceContext context = parent == null
        ? TraceContext.of(nonZero(random), nonZero(random), nonZero(random), true, null)
        : parent.withSpanId(nonZero(random));
    return new IdSpan(context);
  }

  private static long nonZero(ThreadLocalRandom random) {
    long id;
    do {
      id = random.nextLong();
    } while (id == 0);
    return id;
  }

  /** A span that is only its ids. */
  private record IdSpan(TraceContext context) implements MeshSpan {
    @Override
    public void end() {}
  }
}
