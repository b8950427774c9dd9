package io.meshwork.testing;

import io.meshwork.AttemptEvent;
import io.meshwork.MeshListener;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.resilience.CircuitState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * What the meshes of a test did, in the order it happened: every attempt, ejection, return from
 * ejection and breaker change. {@link MeshExtension} makes one per test and gives it to every mesh it
 * builds as the listener. Thread-safe.
 */
public final class MeshActivity {

  private final List<Object> events = new ArrayList<>();

  MeshActivity() {}

  /** The listener that records into this activity. */
  MeshListener listener() {
    return new MeshListener() {
      @Override
      public void onAttempt(AttemptEvent event) {
        add(event);
      }

      @Override
      public void onEjected(String service, ServiceInstance instance, Duration duration) {
        add(new Ejection(service, instance, duration));
      }

      @Override
      public void onRestored(String service, ServiceInstance instance) {
        add(new Restoration(service, instance));
      }

      @Override
      public void onCircuitStateChange(String service, ServiceInstance instance, CircuitState from,
          CircuitState to) {
        add(new BreakerTransition(service, instance, from, to));
      }
    };
  }

  /** Every attempt to {@code service}, first to last. */
  public List<AttemptEvent> attempts(String service) {
    return select(AttemptEvent.class, event -> event.service().equals(service));
  }

  /** Every attempt on {@code instance}, whatever the call. */
  public List<AttemptEvent> attemptsOn(ServiceInstance instance) {
    return select(AttemptEvent.class, event -> event.instance().equals(instance));
  }

  /** How many attempts to {@code service} were retries (attempt number 2 or more). */
  public int retries(String service) {
    return (int) attempts(service).stream().filter(event -> event.attempt() > 1).count();
  }

  /** Every ejection of an instance of {@code service}. */
  public List<Ejection> ejections(String service) {
    return select(Ejection.class, ejection -> ejection.service().equals(service));
  }

  /** Every ejection of {@code instance}. */
  public List<Ejection> ejectionsOf(ServiceInstance instance) {
    return select(Ejection.class, ejection -> ejection.instance().equals(instance));
  }

  /** The instances of {@code service} that came back from an ejection, in order. */
  public List<ServiceInstance> restored(String service) {
    return select(Restoration.class, back -> back.service().equals(service)).stream()
        .map(Restoration::instance).toList();
  }

  /** Every change of {@code instance}'s breaker, first to last. */
  public List<BreakerTransition> breakerTransitions(ServiceInstance instance) {
    return select(BreakerTransition.class, change -> change.instance().equals(instance));
  }

  /**
   * The states {@code instance}'s breaker went through, starting with the first one left: CLOSED,
   * OPEN, HALF_OPEN, CLOSED for a breaker that opened and recovered; empty when it never changed.
   */
  public List<CircuitState> breakerStates(ServiceInstance instance) {
    List<BreakerTransition> changes = breakerTransitions(instance);
    List<CircuitState> states = new ArrayList<>();
    if (!changes.isEmpty()) {
      states.add(changes.get(0).from());
      changes.forEach(change -> states.add(change.to()));
    }
    return states;
  }

  /** Everything recorded, one line per event, for failure messages. */
  public synchronized String describe() {
    if (events.isEmpty()) {
      return "(the mesh did nothing)";
    }
    StringBuilder text = new StringBuilder();
    for (Object event : events) {
      text.append("  ").append(event instanceof AttemptEvent attempt ? describe(attempt) : event).append('\n');
    }
    return text.toString();
  }

  private static String describe(AttemptEvent event) {
    String outcome = event.response() != null ? "status " + event.response().status()
        : event.failure().getClass().getSimpleName() + ": " + event.failure().getMessage();
    return event.service() + ": attempt " + event.attempt() + " " + event.request().method() + " "
        + event.request().path() + " on " + event.instance().address() + " -> " + outcome;
  }

  private synchronized void add(Object event) {
    events.add(event);
  }

  private synchronized <T> List<T> select(Class<T> type, Predicate<T> filter) {
    return events.stream().filter(type::isInstance).map(type::cast).filter(filter).toList();
  }

  /** An instance back from an ejection. */
  private record Restoration(String service, ServiceInstance instance) {
    @Override
    public String toString() {
      return service + ": " + instance.address() + " is back from ejection";
    }
  }
}
