package io.meshwork.internal.telemetry;

import io.meshwork.config.ConfigChange;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The last config changes a mesh applied or refused, newest last, for the admin endpoint's
 * {@code /config} and the dashboard: when, from where ({@code Mesh.apply}, a file, the control plane),
 * and what changed or why it was refused. Holds at most {@code limit} entries; older ones are
 * dropped and counted.
 */
public final class ConfigHistory {

  /** How many entries a mesh keeps. */
  public static final int LIMIT = 50;

  private final Clock clock;
  private final int limit;
  private final ArrayDeque<Entry> entries = new ArrayDeque<>();
  private long dropped;

  /** An empty history of at most {@code limit} entries, stamped by {@code clock}. */
  public ConfigHistory(Clock clock, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit: " + limit + " (expected: >= 1)");
    }
    this.clock = clock;
    this.limit = limit;
  }

  /** The mesh was built with a config from {@code source}. */
  public void built(String source) {
    add(new Entry(clock.instant(), source, Outcome.BUILT, "the config the mesh was built with"));
  }

  /** A config from {@code source} was applied, changing {@code change}. */
  public void applied(String source, ConfigChange change) {
    add(new Entry(clock.instant(), source, Outcome.APPLIED, change.toString()));
  }

  /** A config from {@code source} was refused for {@code reason}; the one in force stayed. */
  public void rejected(String source, String reason) {
    add(new Entry(clock.instant(), source, Outcome.REJECTED, reason));
  }

  private synchronized void add(Entry entry) {
    if (entries.size() == limit) {
      entries.removeFirst();
      dropped++;
    }
    entries.addLast(entry);
  }

  /** The entries kept, oldest first. */
  public synchronized List<Entry> entries() {
    return List.copyOf(entries);
  }

  /** The most entries kept. */
  public int limit() {
    return limit;
  }

  /** How many older entries were dropped to keep the limit. */
  public synchronized long dropped() {
    return dropped;
  }

  /** The entries as a JSON array, oldest first. */
  String json() {
    StringBuilder out = new StringBuilder("[");
    for (Entry entry : entries()) {
      if (out.length() > 1) {
        out.append(',');
      }
      new Json(out).field("at", entry.at().toString()).field("source", entry.source())
          .field("outcome", entry.outcome().name().toLowerCase(java.util.Locale.ROOT))
          .field("detail", entry.detail()).end();
    }
    return out.append(']').toString();
  }

  /** What happened to a config. */
  public enum Outcome {
    /** The mesh was built with it. */
    BUILT,
    /** It was applied. */
    APPLIED,
    /** It was refused; the config in force stayed. */
    REJECTED
  }

  /**
   * One change.
   *
   * @param at when
   * @param source where the config came from
   * @param outcome what happened to it
   * @param detail what changed, or why it was refused
   */
  public record Entry(Instant at, String source, Outcome outcome, String detail) {}
}
