package io.meshwork.internal;

/** Finds the target of a route's destination, opening the destination service on first use. */
@FunctionalInterface
interface Targets {

  /**
   * The target of {@code service}'s {@code subset} (null for the whole service); null when that
   * service's policy declares no such subset.
   */
  Target target(String service, String subset);
}
