package io.meshwork.internal;

import java.util.Set;

/**
 * One step of the call chain: wraps the rest of the chain with one concern (Finagle's Filter). A
 * stage names the context values it sets for the stages inside it and those it needs from the
 * stages outside it; {@link CallChain} checks both when it assembles a chain.
 */
interface Stage {

  /** A short name for messages, such as "retry". */
  String name();

  /** The context values this stage sets for the stages inside it. */
  default Set<ContextValue> provides() {
    return Set.of();
  }

  /** The context values this stage reads, which stages outside it must set. */
  default Set<ContextValue> requires() {
    return Set.of();
  }

  /** The client that applies this stage, then calls {@code next}. */
  MeshClient wrap(MeshClient next);
}
