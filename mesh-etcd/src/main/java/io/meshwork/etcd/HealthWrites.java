package io.meshwork.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.PutOption;
import io.meshwork.registry.HealthStatus;
import io.meshwork.registry.ServiceInstance;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Writes the health an active health check found into an instance's key, keeping the key's lease:
 * the instance stays owned by the process that registered it, so it still vanishes when that one
 * dies. The put is conditional on the key being unchanged since it was read, so a concurrent
 * re-registration by the owner wins; the next check then writes again if it must.
 */
final class HealthWrites {

  private final KV kv;
  private final EtcdSettings settings;

  HealthWrites(KV kv, EtcdSettings settings) {
    this.kv = kv;
    this.settings = settings;
  }

  CompletableFuture<Void> write(ServiceInstance instance, HealthStatus health) {
    InstanceKey key = InstanceKey.of(instance);
    ByteSequence name = ByteSequence.from(key.format(settings.keyPrefix()), StandardCharsets.UTF_8);
    ByteSequence value = ByteSequence.from(InstanceJson.encode(instance.withHealth(health), settings.clock().instant()));
    CompletableFuture<Void> written = kv.get(name).thenCompose(found -> {
      if (found.getKvs().isEmpty()) {
        return CompletableFuture.completedFuture(null); // deregistered meanwhile
      }
      KeyValue current = found.getKvs().get(0);
      PutOption keepLease = current.getLease() == 0 ? PutOption.DEFAULT
          : PutOption.builder().withLeaseId(current.getLease()).build();
      return kv.txn().If(new Cmp(name, Cmp.Op.EQUAL, CmpTarget.modRevision(current.getModRevision())))
          .Then(Op.put(name, value, keepLease)).commit().thenApply(response -> (Void) null);
    });
    return written.orTimeout(settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .exceptionallyCompose(failure -> CompletableFuture.failedFuture(new EtcdUnavailableException(
            instance.service(), "etcd unreachable at " + settings.endpointList() + ": health of "
                + instance.address() + " not written", failure)));
  }
}
