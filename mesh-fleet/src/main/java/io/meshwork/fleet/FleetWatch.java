package io.meshwork.fleet;

import io.meshwork.fleet.api.FleetView;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the control plane's state by long polling {@code GET /api/v1/watch?revision=R&wait=W}: the
 * control plane answers at once when its state is no longer R, or after W with 304. Each new view
 * goes to the listener on the membership's thread. While the control plane is unreachable, the last
 * view stays in force and the poll is tried again with backoff (250 ms doubling to 5 s); the first
 * success after a failure is reported, so registrations can be sent again.
 */
final class FleetWatch implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(FleetWatch.class);

  private final ControlPlaneClient client;
  private final ScheduledExecutorService executor;
  private final Duration wait;
  private final Consumer<FleetView> onView;
  private final Runnable onReconnect;
  private volatile String revision;
  private volatile CompletableFuture<FleetView> pending;
  private volatile boolean closed;
  private boolean failing;
  private long backoffMillis = 250;

  FleetWatch(ControlPlaneClient client, ScheduledExecutorService executor, Duration wait,
      Consumer<FleetView> onView, Runnable onReconnect) {
    this.client = client;
    this.executor = executor;
    this.wait = wait;
    this.onView = onView;
    this.onReconnect = onReconnect;
  }

  /** The state now, waiting up to {@code timeout}. */
  FleetView first(Duration timeout) throws ExecutionException, TimeoutException, InterruptedException {
    FleetView view = poll(null, timeout).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    revision = view.revision();
    return view;
  }

  /** Starts following from the revision of the first view. */
  void start() {
    executor.execute(this::next);
  }

  private CompletableFuture<FleetView> poll(String after, Duration timeout) {
    String query = after == null ? "" : "?revision=" + URLEncoder.encode(after, StandardCharsets.UTF_8)
        + "&wait=" + wait.toSeconds() + "s";
    return client.exchange("GET", "/api/v1/watch" + query, null, FleetView.class, timeout);
  }

  private void next() {
    if (closed) {
      return;
    }
    // The control plane holds the poll up to `wait`; give the answer some slack on top.
    CompletableFuture<FleetView> poll = poll(revision, wait.plusSeconds(10));
    pending = poll;
    poll.whenCompleteAsync((view, failure) -> {
      if (closed) {
        return;
      }
      if (failure != null) {
        if (!failing) {
          log.warn("control plane {} unreachable; keeping the last state and trying again: {}", client.uri(),
              failure.getMessage());
        }
        failing = true;
        executor.schedule(this::next, backoffMillis, TimeUnit.MILLISECONDS);
        backoffMillis = Math.min(5000, backoffMillis * 2);
        return;
      }
      backoffMillis = 250;
      if (failing) {
        failing = false;
        log.info("control plane {} reachable again", client.uri());
        safely(onReconnect);
      }
      if (view != null && !view.revision().equals(revision)) {
        revision = view.revision();
        safely(() -> onView.accept(view));
      }
      next();
    }, executor);
  }

  private static void safely(Runnable task) {
    try {
      task.run();
    } catch (RuntimeException e) {
      log.error("applying the control plane's state failed; the previous state stays", e);
    }
  }

  @Override
  public void close() {
    closed = true;
    CompletableFuture<FleetView> poll = pending;
    if (poll != null) {
      poll.cancel(true);
    }
  }
}
