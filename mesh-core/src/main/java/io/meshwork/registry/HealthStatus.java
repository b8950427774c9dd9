package io.meshwork.registry;

/** The health of a registered instance. Only {@link #HEALTHY} instances receive traffic. */
public enum HealthStatus {
  /** Serving: discovered and picked by balancers. */
  HEALTHY,
  /** Failing its health checks: never picked. */
  UNHEALTHY,
  /** Not known (for example not yet checked): not picked until it is known to be healthy. */
  UNKNOWN
}
