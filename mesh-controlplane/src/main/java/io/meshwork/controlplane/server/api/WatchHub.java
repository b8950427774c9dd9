package io.meshwork.controlplane.server.api;

import io.meshwork.MeshResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The long polls of {@code GET /api/v1/watch}: each waits until the state's revision is no longer the
 * one it named, then gets the new state; or, after its wait, a 304. A change wakes every poll at once.
 * Closing answers every poll that still waits (304), so meshes move on at once.
 */
public final class WatchHub implements AutoCloseable {

  private final FleetViews views;
  private final ScheduledExecutorService timer;
  private final Set<Poll> polls = ConcurrentHashMap.newKeySet();

  public WatchHub(FleetViews views, ScheduledExecutorService timer) {
    this.views = views;
    this.timer = timer;
  }

  /** The state now when it is not {@code revision} (or none is named); otherwise the next, or 304 after {@code wait}. */
  CompletableFuture<MeshResponse> poll(String revision, Duration wait) {
    FleetViews.Snapshot now = views.current();
    if (revision == null || !revision.equals(now.revision())) {
      return CompletableFuture.completedFuture(answer(now));
    }
    Poll poll = new Poll(revision, new CompletableFuture<>());
    polls.add(poll);
    ScheduledFuture<?> expiry = timer.schedule(() -> poll.answer.complete(notModified()), wait.toMillis(),
        TimeUnit.MILLISECONDS);
    poll.answer.whenComplete((done, failure) -> {
      expiry.cancel(false);
      polls.remove(poll);
    });
    answerStale(); // a change may have come between the look above and the registration
    return poll.answer;
  }

  /** The number of polls waiting. */
  public int waiting() {
    return polls.size();
  }

  /** Something changed: answers every poll whose revision is no longer the state's. */
  public void wake() {
    views.invalidate();
    answerStale();
  }

  private void answerStale() {
    if (polls.isEmpty()) {
      return;
    }
    FleetViews.Snapshot now = views.current();
    for (Iterator<Poll> it = polls.iterator(); it.hasNext(); ) {
      Poll poll = it.next();
      if (!poll.revision.equals(now.revision())) {
        poll.answer.complete(answer(now));
      }
    }
  }

  private static MeshResponse answer(FleetViews.Snapshot snapshot) {
    return MeshResponse.builder().status(200).header("content-type", "application/json")
        .header("cache-control", "no-store").body(snapshot.json()).build();
  }

  private static MeshResponse notModified() {
    return MeshResponse.builder().status(304).build();
  }

  @Override
  public void close() {
    for (Poll poll : polls) {
      poll.answer.complete(notModified());
    }
  }

  private record Poll(String revision, CompletableFuture<MeshResponse> answer) {}
}
