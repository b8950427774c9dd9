package io.meshwork.controlplane.server.api;

import io.meshwork.MeshResponse;
import io.meshwork.fleet.api.DurationText;
import io.meshwork.fleet.api.FieldError;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * {@code GET /api/v1/watch?revision=R&wait=30s}: the fleet's state (config, rules, instances, CRL) at
 * once when it is no longer at revision R (or no R is given), else as soon as it changes, or a 304
 * after {@code wait} (at most 60 s, 30 s when missing). This is what joined meshes follow.
 */
final class WatchEndpoint {

  private static final Duration MAX_WAIT = Duration.ofSeconds(60);

  private final WatchHub watches;

  WatchEndpoint(WatchHub watches) {
    this.watches = watches;
  }

  CompletableFuture<MeshResponse> watch(Call call) {
    String revision = call.query("revision");
    if (revision != null && !revision.matches("[0-9a-f]{1,64}")) {
      throw new FieldError("revision", revision, "a revision as a previous answer gave it");
    }
    Duration wait = call.query("wait") == null ? Duration.ofSeconds(30) : DurationText.parse("wait", call.query("wait"));
    if (wait.compareTo(MAX_WAIT) > 0) {
      throw new FieldError("wait", call.query("wait"), "at most 60s");
    }
    return watches.poll(revision, wait);
  }
}
