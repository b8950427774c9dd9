package io.meshwork.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** The sections about where calls run and what a new connection costs. */
final class CallSections {

  private CallSections() {}

  /** Calls started from one thread next to the spread closed loop, with how evenly the loops worked. */
  static void oneThread(Markdown md, Figures f) {
    md.line("### Calls started from one thread");
    md.line();
    md.line("The same closed loop, in the same JVM right after the spread one, but with every caller's first call"
        + " sent from one thread, as an application's main thread or a batch job would; each later call is sent from"
        + " the completion of the previous one, so it runs wherever the client completed it. \"Loops even\" is the"
        + " least busy event loop's CPU time over the busiest one's in the window: 100 % when the work is spread"
        + " evenly over the 2 loops, 0 % when one loop does it all and a core idles.");
    md.line();
    md.row("client", "spread req/s", "from one thread req/s", "one thread ÷ spread", "loops even (spread)",
        "loops even (one thread)");
    md.row("---", "---:", "---:", "---:", "---:", "---:");
    for (String kind : List.of("limit", "meshwork")) {
      if (!f.kinds().contains(kind) || f.missing(kind) != null) {
        continue;
      }
      md.row(Text.client(kind), Text.spread(f.comparison(kind, "closed", "throughput"), "%,.0f"),
          Text.spread(f.comparison(kind, "oneThread", "throughput"), "%,.0f"),
          Text.spread(oneThreadRatio(f, kind), "%.2f×"),
          Text.spread(f.comparison(kind, "closed", "loopBalance").times(100), "%.0f %%"),
          Text.spread(f.comparison(kind, "oneThread", "loopBalance").times(100), "%.0f %%"));
    }
    md.line();
  }

  /** Throughput with calls started from one thread over the spread throughput, round by round. */
  static Stats oneThreadRatio(Figures f, String kind) {
    return f.comparison(kind, round -> Figures.number(round.path("oneThread").path("throughput"))
        / Figures.number(round.path("closed").path("throughput")));
  }

  /** Calls on new connections: mTLS next to plaintext, to the same kind of server. */
  static void setup(Markdown md, Figures f) {
    JsonNode plan = f.root().path("plan");
    md.line("### Connection set-up, mTLS and plaintext");
    md.line();
    md.line(Text.format("Kept apart from the throughput figures, where connections stay open: %d calls made one at a"
        + " time (after %d unmeasured ones) by a mesh whose connections expire as soon as they are idle, so every"
        + " call opens its own connection to a Meshwork server — TCP connect, with STRICT mTLS the TLS 1.3 handshake"
        + " with both certificates verified, then the request and its answer.",
        plan.path("setupCalls").asInt(), plan.path("setupWarmupCalls").asInt()));
    md.line();
    md.row("client", "new connection + call, p50", "p90", "p99", "connections / s (one at a time)");
    md.row("---", "---:", "---:", "---:", "---:");
    for (String kind : List.of("meshwork-on-mesh-servers", "meshwork-mtls")) {
      if (!f.kinds().contains(kind) || f.missing(kind) != null) {
        continue;
      }
      md.row(Text.client(kind), Text.latency(setup(f, kind, "p50")), Text.latency(setup(f, kind, "p90")),
          Text.latency(setup(f, kind, "p99")), Text.spread(setup(f, kind, "perSecond"), "%,.0f"));
    }
    Stats added = setupAdded(f);
    if (added.present()) {
      md.line();
      md.line("The handshake adds " + Text.latency(added) + " to the p50 of opening a connection (median of the"
          + " rounds' differences, with their range).");
    }
    md.line();
  }

  /** The set-up {@code metric} of {@code kind}, over the rounds. */
  static Stats setup(Figures f, String kind, String metric) {
    return f.comparison(kind, round -> Figures.number(round.path("setup").path(metric)));
  }

  /** The mTLS set-up p50 minus the plaintext one, round by round. */
  static Stats setupAdded(Figures f) {
    JsonNode mtls = f.root().path("comparison").path("meshwork-mtls");
    JsonNode plain = f.root().path("comparison").path("meshwork-on-mesh-servers");
    List<Double> values = new java.util.ArrayList<>();
    for (int i = 0; i < Math.min(mtls.size(), plain.size()); i++) {
      values.add(Figures.number(mtls.get(i).path("setup").path("p50"))
          - Figures.number(plain.get(i).path("setup").path("p50")));
    }
    return Stats.of(values);
  }
}
