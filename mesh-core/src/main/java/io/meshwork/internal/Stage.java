package io.meshwork.internal;

/** One step of the call chain: wraps the rest of the chain with one concern (Finagle's Filter). */
@FunctionalInterface
interface Stage {

  /** The client that applies this stage, then calls {@code next}. */
  MeshClient wrap(MeshClient next);
}
