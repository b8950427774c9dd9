package io.meshwork.etcd;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.Compare;
import io.etcd.jetcd.api.KeyValue;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.TxnRequest;
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

  private final EtcdRpc rpc;
  private final EtcdSettings settings;

  HealthWrites(EtcdRpc rpc, EtcdSettings settings) {
    this.rpc = rpc;
    this.settings = settings;
  }

  CompletableFuture<Void> write(ServiceInstance instance, HealthStatus health) {
    InstanceKey key = InstanceKey.of(instance);
    ByteString name = ByteString.copyFrom(key.format(settings.keyPrefix()), StandardCharsets.UTF_8);
    ByteString value = ByteString.copyFrom(InstanceJson.encode(instance.withHealth(health), settings.clock().instant()));
    CompletableFuture<Void> written = rpc.range(RangeRequest.newBuilder().setKey(name).build()).thenCompose(found -> {
      if (found.getKvsCount() == 0) {
        return CompletableFuture.completedFuture(null); // deregistered meanwhile
      }
      KeyValue current = found.getKvs(0);
      return rpc.txn(TxnRequest.newBuilder()
          .addCompare(Compare.newBuilder().setKey(name).setTarget(Compare.CompareTarget.MOD)
              .setResult(Compare.CompareResult.EQUAL).setModRevision(current.getModRevision()))
          .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(name).setValue(value)
              .setLease(current.getLease())))
          .build()).thenApply(response -> (Void) null);
    });
    long timeout = settings.client().requestTimeout().toMillis();
    return written.orTimeout(timeout, TimeUnit.MILLISECONDS)
        .exceptionallyCompose(failure -> CompletableFuture.failedFuture(new EtcdUnavailableException(
            instance.service(), "etcd unreachable at " + settings.endpointList() + ": health of "
                + instance.address() + " not written (" + EtcdCallException.classify("write", failure)
                .getMessage() + ")", failure)));
  }
}
