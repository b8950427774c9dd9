package io.meshwork.etcd;

import java.util.Collection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This registry's own instances and the writes that keep etcd in line with them. {@code owned} is
 * what should be in etcd under this registry's lease; every write, re-registration after a lost
 * lease, and repair runs on the one writer thread, so none interleaves with another.
 *
 * <p>A register that fails changes nothing (what it may have written is undone in the background); a
 * deregister that fails is still carried out in the background, because the instance must not live on
 * under a lease this registry keeps alive.
 */
final class Registrations {

  private static final Logger log = LoggerFactory.getLogger(Registrations.class);

  private final InstanceWrites writes;
  private final EtcdSettings settings;
  private final Lane writer;
  private final RandomGenerator random;
  private final LeaseKeeper lease;
  private final Backoff restoreBackoff;
  private final Backoff repairBackoff;
  private final Set<PendingWrite> pending = ConcurrentHashMap.newKeySet();
  private final BiFunction<InstanceKey, Long, CompletableFuture<Void>> seen;

  private final Map<InstanceKey, byte[]> owned = new LinkedHashMap<>();
  /** Keys whose state in etcd may differ from {@code owned}, with the value that may be there. */
  private final Map<InstanceKey, byte[]> unsure = new LinkedHashMap<>();
  private boolean restoreNeeded;
  private boolean doubtfulToRevoke; // a new lease holds the keys: the given-up ones may go
  private boolean restoreScheduled;
  private int restoreFailures;
  private boolean repairScheduled;
  private long deletedRevision; // the revision of the last delete transaction; writer lane only
  private volatile boolean closed;

  /**
   * {@code seen} completes once the registry's own view of a key holds a revision (read-your-writes),
   * at once for a key it does not watch.
   */
  Registrations(EtcdRpc rpc, KeepAlive keepAlive, EtcdSettings settings, Lane writer,
      RandomGenerator random, BiFunction<InstanceKey, Long, CompletableFuture<Void>> seen) {
    this.seen = seen;
    this.writes = new InstanceWrites(rpc, settings.keyPrefix());
    this.settings = settings;
    this.writer = writer;
    this.random = random;
    this.lease = new LeaseKeeper(rpc, keepAlive, settings, writer, lostId -> onLeaseLost());
    this.restoreBackoff = newBackoff();
    this.repairBackoff = newBackoff();
  }

  /** Puts {@code value} at {@code key} under the lease; replaces this id in another namespace. */
  CompletableFuture<Void> register(InstanceKey key, byte[] value) {
    PendingWrite write = newWrite(key.service(), "register " + key.service() + "/" + key.id(), "", true);
    writer.execute(() -> registerAttempt(write, key, value));
    return write.result();
  }

  /**
   * Deletes every key instance {@code id} of {@code service} may have: this registry's own and
   * {@code known}. When no etcd member accepts a connection it fails at once (unless writes are to
   * be retried): it is carried out in the background anyway, and its caller may be a server closing.
   */
  CompletableFuture<Void> deregister(String service, String id, Collection<InstanceKey> known) {
    PendingWrite write = newWrite(service, "deregister " + service + "/" + id,
        "; it is retried in the background until etcd answers", !settings.retryWritesFor().isZero());
    writer.execute(() -> {
      Set<InstanceKey> keys = new LinkedHashSet<>(known);
      keys.addAll(ownedKeysOf(service, id));
      for (InstanceKey key : keys) {
        byte[] value = owned.remove(key);
        if (value != null) {
          unsure.put(key, value); // deleted below; repaired in the background if that fails
        }
      }
      deregisterAttempt(write, List.copyOf(keys));
    });
    return write.result();
  }

  /** The lease now held, or 0 (for tests). */
  long leaseId() {
    return lease.visible();
  }

  /**
   * Fails what is pending and revokes the lease, so that this registry's instances vanish now.
   * Returns the leases that could not be revoked (etcd did not answer); says so in one line.
   */
  List<Long> close() {
    closed = true;
    List<Long> unrevoked = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> revoked = writer.submit(() -> {
      // What may still be in etcd under the lease: owned keys, and deletions not yet done.
      Set<InstanceKey> listed = new LinkedHashSet<>(owned.keySet());
      unsure.forEach((key, value) -> {
        if (value != null) {
          listed.add(key);
        }
      });
      int count = listed.size();
      LeaseKeeper.Unrevoked left = lease.revoke();
      if (!left.ids().isEmpty()) {
        unrevoked.addAll(left.ids());
        log.warn("etcd unreachable at {}: lease {} not revoked on close ({}); its {} instance(s) stay"
            + " listed until etcd answers again and this JVM revokes it (tried for {} min), or else until"
            + " it expires, {} s after etcd last heard from this registry", settings.endpointList(),
            left.ids().stream().map(Long::toHexString).collect(Collectors.joining(", ")),
            left.why().getMessage(), count, LateRevoke.WINDOW.toMinutes(), settings.leaseTtl().toSeconds());
      }
    });
    try {
      revoked.get(settings.client().attemptTimeout().toMillis() * 2 + 500, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      log.warn("closing the registry at {}: a write to etcd still under way kept the lease from being"
          + " revoked; its instances vanish when it expires, within {} s", settings.endpointList(),
          settings.leaseTtl().toSeconds());
      pending.forEach(PendingWrite::closed);
      return List.of(); // left to expire: the writer may still revoke it
    }
    pending.forEach(PendingWrite::closed);
    return List.copyOf(unrevoked);
  }

  private void registerAttempt(PendingWrite write, InstanceKey key, byte[] value) {
    if (write.isDone()) {
      return; // timed out while waiting its turn: the caller was told it failed
    }
    if (closed) {
      write.closed();
      return;
    }
    List<InstanceKey> replaced = ownedKeysOf(key.service(), key.id());
    replaced.remove(key);
    long revision;
    try {
      ensureLease();
      revision = put(key, value);
      if (!replaced.isEmpty()) {
        delete(replaced);
      }
    } catch (EtcdCallException e) {
      // What was written so far must be undone if no later attempt succeeds.
      unsure.put(key, owned.containsKey(key) ? null : value);
      replaced.forEach(old -> unsure.put(old, null));
      retryOrFail(write, e, () -> registerAttempt(write, key, value));
      return;
    }
    if (write.commit()) {
      owned.put(key, value);
      unsure.remove(key);
      replaced.forEach(owned::remove);
      succeedWhenSeen(write, key, revision);
    } else {
      // The caller gave up before etcd answered: undo, as a failed register changes nothing.
      unsure.put(key, value);
      replaced.forEach(old -> unsure.put(old, null));
      scheduleRepair();
    }
  }

  private void deregisterAttempt(PendingWrite write, List<InstanceKey> keys) {
    if (write.isDone()) {
      scheduleRepair();
      return;
    }
    if (closed) {
      write.closed();
      return;
    }
    List<InstanceKey> deleted;
    try {
      deleted = delete(keys);
      keys.forEach(unsure::remove);
    } catch (EtcdCallException e) {
      retryOrFail(write, e, () -> deregisterAttempt(write, keys));
      return;
    }
    if (write.commit()) {
      if (deleted.isEmpty()) {
        write.succeed(); // nothing was there: no change for the registry's view to show
      } else {
        succeedWhenSeen(write, deleted.get(0), deletedRevision);
      }
    }
  }

  /**
   * Succeeds once this registry's own discovery of {@code key} shows the change (at once for a service
   * it does not watch), or after a request timeout anyway.
   */
  private void succeedWhenSeen(PendingWrite write, InstanceKey key, long revision) {
    long timeout = settings.client().requestTimeout().toMillis();
    seen.apply(key, revision).orTimeout(timeout, TimeUnit.MILLISECONDS)
        .whenComplete((ok, slowWatch) -> write.succeed());
  }

  private void retryOrFail(PendingWrite write, EtcdCallException failure, Runnable again) {
    long delay = write.retryDelayMillis(failure);
    if (delay >= 0 && !closed && writer.schedule(again, delay) != null) {
      return;
    }
    write.fail(failure);
    scheduleRepair();
  }

  /** Holds a lease, and has put every owned key under it; throws when etcd does not answer. */
  private void ensureLease() {
    if (lease.current() == 0) {
      lease.grant();
      restoreNeeded = !owned.isEmpty();
      doubtfulToRevoke = true;
    }
    if (restoreNeeded) {
      for (Map.Entry<InstanceKey, byte[]> entry : owned.entrySet()) {
        put(entry.getKey(), entry.getValue());
      }
      restoreNeeded = false;
      log.info("registered {} instance(s) again at {} under lease {}", owned.size(),
          settings.endpointList(), Long.toHexString(lease.current()));
    }
    if (doubtfulToRevoke) {
      doubtfulToRevoke = false;
      lease.revokeDoubtful(); // what the leases given up still hold is what should be gone
    }
  }

  private void onLeaseLost() {
    if (!owned.isEmpty()) {
      log.info("registering {} instance(s) again under a new lease", owned.size());
      scheduleRestore(0);
    }
  }

  private void scheduleRestore(long delayMillis) {
    if (!restoreScheduled && !closed) {
      restoreScheduled = writer.schedule(this::restore, delayMillis) != null;
    }
  }

  private void restore() {
    restoreScheduled = false;
    if (closed || owned.isEmpty()) {
      return;
    }
    try {
      ensureLease();
      restoreBackoff.reset();
      restoreFailures = 0;
    } catch (EtcdCallException e) {
      long delay = restoreBackoff.nextMillis();
      // Once per outage at warn, then quietly: it may last long and the retries are frequent.
      if (restoreFailures++ == 0) {
        log.warn("could not register {} instance(s) again at {} ({}); retrying until it works",
            owned.size(), settings.endpointList(), e.getMessage());
      } else {
        log.debug("attempt {} to register again failed ({}); next in {} ms", restoreFailures,
            e.getMessage(), delay);
      }
      scheduleRestore(delay);
    }
  }

  private void scheduleRepair() {
    if (!repairScheduled && !closed && !unsure.isEmpty()) {
      repairScheduled = writer.schedule(this::repair, repairBackoff.nextMillis()) != null;
    }
  }

  /** Makes etcd match {@code owned} for every unsure key: put what is owned, delete what is not. */
  private void repair() {
    repairScheduled = false;
    if (closed) {
      return;
    }
    try {
      for (InstanceKey key : new ArrayList<>(unsure.keySet())) {
        byte[] wanted = owned.get(key);
        if (wanted != null) {
          ensureLease();
          put(key, wanted);
        } else if (unsure.get(key) != null) {
          deleteIfStill(key, unsure.get(key));
        }
        unsure.remove(key);
      }
      repairBackoff.reset();
    } catch (EtcdCallException e) {
      log.debug("repairing {} key(s) at {} failed ({}); retrying", unsure.size(),
          settings.endpointList(), e.getMessage());
    }
    scheduleRepair();
  }

  /** Puts under the current lease; returns the revision of the change. */
  private long put(InstanceKey key, byte[] value) {
    long id = lease.current();
    try {
      return writes.put(key, value, id);
    } catch (EtcdCallException e) {
      if (e.kind() == EtcdCallException.Kind.LEASE_NOT_FOUND && lease.forget(id, "etcd no longer knows it")) {
        onLeaseLost();
      }
      throw e;
    }
  }

  /** Deletes {@code keys} at once; returns those that existed ({@link #deletedRevision} set). */
  private List<InstanceKey> delete(Collection<InstanceKey> keys) {
    InstanceWrites.Deleted deleted = writes.delete(keys);
    deletedRevision = deleted.revision();
    return deleted.keys();
  }

  /** Deletes {@code key} only if it still holds {@code value}: never another writer's newer entry. */
  private void deleteIfStill(InstanceKey key, byte[] value) {
    writes.deleteIfStill(key, value);
  }

  private List<InstanceKey> ownedKeysOf(String service, String id) {
    List<InstanceKey> keys = new ArrayList<>();
    for (InstanceKey key : owned.keySet()) {
      if (key.service().equals(service) && key.id().equals(id)) {
        keys.add(key);
      }
    }
    return keys;
  }

  private PendingWrite newWrite(String service, String what, String note, boolean retryRefused) {
    // Attempts go on (another member may answer) while one can still finish within the caller's bound.
    long bound = settings.client().requestTimeout().toMillis() + settings.retryWritesFor().toMillis();
    PendingWrite write = new PendingWrite(service, what, note, settings.endpointList(),
        System.nanoTime() + bound * 1_000_000, settings.client().attemptTimeout().toNanos(), newBackoff(),
        retryRefused);
    if (closed) {
      write.closed();
      return write;
    }
    pending.add(write);
    write.result().whenComplete((ok, error) -> pending.remove(write));
    // The caller hears within its bound even when the writer is busy with a slow etcd.
    CompletableFuture.delayedExecutor(bound, TimeUnit.MILLISECONDS).execute(() -> write.timeOut(bound));
    return write;
  }

  private Backoff newBackoff() {
    return settings.client().backoff(random);
  }

  @Override
  public String toString() {
    return "Registrations" + Arrays.asList(owned.keySet().toArray());
  }
}
