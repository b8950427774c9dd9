package io.meshwork.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.PutOption;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import java.util.random.RandomGenerator;
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

  private final Client client;
  private final EtcdSettings settings;
  private final EtcdCalls calls;
  private final RegistryThread writer;
  private final RandomGenerator random;
  private final LeaseKeeper lease;
  private final Backoff restoreBackoff;
  private final Backoff repairBackoff;
  private final Set<PendingWrite> pending = ConcurrentHashMap.newKeySet();
  private final LongFunction<CompletableFuture<Void>> seen;

  private final Map<InstanceKey, byte[]> owned = new LinkedHashMap<>();
  /** Keys whose state in etcd may differ from {@code owned}, with the value that may be there. */
  private final Map<InstanceKey, byte[]> unsure = new LinkedHashMap<>();
  private boolean restoreNeeded;
  private boolean restoreScheduled;
  private int restoreFailures;
  private boolean repairScheduled;
  private volatile boolean closed;

  /** {@code seen} completes once the registry's cache holds a revision (read-your-writes). */
  Registrations(Client client, EtcdSettings settings, EtcdCalls calls, RegistryThread writer,
      RandomGenerator random, LongFunction<CompletableFuture<Void>> seen) {
    this.seen = seen;
    this.client = client;
    this.settings = settings;
    this.calls = calls;
    this.writer = writer;
    this.random = random;
    this.lease = new LeaseKeeper(client, settings, calls, writer, lostId -> onLeaseLost());
    this.restoreBackoff = newBackoff();
    this.repairBackoff = newBackoff();
  }

  /** Puts {@code value} at {@code key} under the lease; replaces this id in another namespace. */
  CompletableFuture<Void> register(InstanceKey key, byte[] value) {
    PendingWrite write = newWrite(key.service(), "register " + key.service() + "/" + key.id(), "");
    writer.execute(() -> registerAttempt(write, key, value));
    return write.result();
  }

  /** Deletes every key of instance {@code id} of {@code service}: this registry's and {@code cached}. */
  CompletableFuture<Void> deregister(String service, String id, List<InstanceKey> cached) {
    PendingWrite write = newWrite(service, "deregister " + service + "/" + id,
        "; it is retried in the background");
    writer.execute(() -> {
      Set<InstanceKey> keys = new LinkedHashSet<>(cached);
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

  /** Fails what is pending and revokes the lease, so that this registry's instances vanish now. */
  void close() {
    closed = true;
    var revoked = writer.executor().submit(lease::revoke);
    try {
      revoked.get(settings.requestTimeout().toMillis() + 500, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      log.warn("revoking the lease at {} did not finish in time: instances vanish within {} s",
          settings.endpointList(), settings.leaseTtl().toSeconds());
    }
    pending.forEach(PendingWrite::closed);
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
      for (InstanceKey old : replaced) {
        revision = Math.max(revision, delete(old));
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
      succeedWhenSeen(write, revision);
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
    long revision = 0;
    try {
      for (InstanceKey key : keys) {
        revision = Math.max(revision, delete(key));
        unsure.remove(key);
      }
    } catch (EtcdCallException e) {
      retryOrFail(write, e, () -> deregisterAttempt(write, keys));
      return;
    }
    if (write.commit()) {
      succeedWhenSeen(write, revision);
    }
  }

  /** Succeeds once this registry's own discovery shows the change, or after a request timeout anyway. */
  private void succeedWhenSeen(PendingWrite write, long revision) {
    seen.apply(revision).orTimeout(settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
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
    }
    if (restoreNeeded) {
      for (Map.Entry<InstanceKey, byte[]> entry : owned.entrySet()) {
        put(entry.getKey(), entry.getValue());
      }
      restoreNeeded = false;
      log.info("registered {} instance(s) again at {} under lease {}", owned.size(),
          settings.endpointList(), Long.toHexString(lease.current()));
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
      PutOption option = PutOption.builder().withLeaseId(id).withAutoRetry().build();
      return calls.await("put " + key.format(settings.keyPrefix()),
          () -> client.getKVClient().put(bytes(key), ByteSequence.from(value), option))
          .getHeader().getRevision();
    } catch (EtcdCallException e) {
      if (e.kind() == EtcdCallException.Kind.LEASE_NOT_FOUND && lease.forget(id, "etcd no longer knows it")) {
        onLeaseLost();
      }
      throw e;
    }
  }

  /** Deletes; returns the revision etcd answered at. */
  private long delete(InstanceKey key) {
    return calls.await("delete " + key.format(settings.keyPrefix()),
        () -> client.getKVClient().delete(bytes(key), DeleteOption.builder().withAutoRetry().build()))
        .getHeader().getRevision();
  }

  /** Deletes {@code key} only if it still holds {@code value}: never another writer's newer entry. */
  private void deleteIfStill(InstanceKey key, byte[] value) {
    ByteSequence k = bytes(key);
    calls.await("delete " + key.format(settings.keyPrefix()), () -> client.getKVClient().txn()
        .If(new Cmp(k, Cmp.Op.EQUAL, CmpTarget.value(ByteSequence.from(value))))
        .Then(Op.delete(k, DeleteOption.DEFAULT)).commit());
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

  private PendingWrite newWrite(String service, String what, String note) {
    // Attempts go on (another member may answer) while one can still finish within the caller's bound.
    long bound = settings.requestTimeout().toMillis() + settings.retryWritesFor().toMillis();
    PendingWrite write = new PendingWrite(service, what, note, settings.endpointList(),
        System.nanoTime() + bound * 1_000_000, settings.attemptTimeout().toNanos(), newBackoff());
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
    return new Backoff(settings.backoffInitial(), settings.backoffMax(), random);
  }

  private ByteSequence bytes(InstanceKey key) {
    return ByteSequence.from(key.format(settings.keyPrefix()), StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "Registrations" + Arrays.asList(owned.keySet().toArray());
  }
}
