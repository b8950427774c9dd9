package io.meshwork.internal;

/**
 * A value one stage of the call chain sets in the {@link CallContext} for the stages inside it. The
 * chain checks when it is built that every value a stage needs is set by a stage outside it.
 */
enum ContextValue {
  ROUTE("route"),
  DEADLINE("deadline"),
  ATTEMPT("retry"),
  INSTANCE("balance");

  private final String setBy;

  ContextValue(String setBy) {
    this.setBy = setBy;
  }

  /** The name of the stage that sets the value. */
  String setBy() {
    return setBy;
  }

  /** The failure of reading the value on a call where its stage has not run. */
  IllegalStateException missing() {
    return new IllegalStateException("call context: " + name().toLowerCase(java.util.Locale.ROOT)
        + " is not set (it is set by the " + setBy + " stage, which has not run for this call: is it"
        + " missing from the chain, or placed inside the stage that reads it?)");
  }
}
