package io.meshwork.health;

/** What a mesh does with one instance of a destination now, in a word a person understands. */
public enum InstanceState {
  /** Picked like any other. */
  AVAILABLE("available"),
  /** Its breaker is half-open: a few probe calls decide whether it closes again. */
  PROBING("probing"),
  /** Its breaker is open: not picked until it probes again (unless the destination is in panic). */
  CIRCUIT_OPEN("circuit open"),
  /** Outlier detection ejected it: not picked until the ejection ends (unless in panic). */
  EJECTED("ejected"),
  /**
   * Connections to it failed lately: not picked until its reconnect backoff ends (1 s, doubling to
   * 30 s while it keeps failing), in panic mode neither, unless no other instance is left to pick.
   */
  UNREACHABLE("unreachable"),
  /** The registry (or an active health check writing to it) says it is not healthy: never picked. */
  UNHEALTHY("unhealthy");

  private final String words;

  InstanceState(String words) {
    this.words = words;
  }

  /** The state in words, such as "circuit open". */
  public String words() {
    return words;
  }
}
